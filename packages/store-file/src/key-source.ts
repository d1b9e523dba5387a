import { basename, dirname, resolve } from 'node:path';
import { readFailed, storeError, writeFailed } from './errors.ts';
import { readPrivateFile } from './fs-safe.ts';
import type { PermissionPolicy } from './permissions.ts';

const { createHash, randomBytes, scrypt } = process.getBuiltinModule('node:crypto'); // not imported: see packages/internal/README.md

export interface ScryptParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
}

/** OWASP's current recommendation for scrypt (2^17, 8, 1): about 128 MiB and a few hundred ms. */
export function newScryptParams(): ScryptParams {
  return { name: 'scrypt', N: 2 ** 17, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
}

/** Derived and loaded keys, once per process (keyed by file path, or salt and a digest of the passphrase). */
const cache = new Map<string, Promise<Buffer>>();

function cached(id: string, load: () => Promise<Buffer>): Promise<Buffer> {
  let pending = cache.get(id);
  if (!pending) {
    pending = load();
    cache.set(id, pending);
    pending.catch(() => cache.delete(id));
  }
  return pending;
}

function validScrypt(params: ScryptParams): boolean {
  const { N, r, p } = params;
  return (
    Number.isInteger(N) &&
    N >= 2 ** 14 &&
    N <= 2 ** 22 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16 &&
    typeof params.salt === 'string' &&
    Buffer.from(params.salt, 'base64').length >= 16
  );
}

export function derivePassphraseKey(
  passphrase: string,
  params: ScryptParams,
  metaPath: string,
): Promise<Buffer> {
  if (!validScrypt(params)) {
    throw storeError('store_corrupt', `The key derivation parameters in ${metaPath} are invalid.`, {
      path: metaPath,
    });
  }
  const digest = createHash('sha256').update(passphrase, 'utf8').digest('hex');
  const id = `scrypt:${params.N}:${params.r}:${params.p}:${params.salt}:${digest}`;
  return cached(
    id,
    () =>
      new Promise<Buffer>((resolvePromise, reject) => {
        const maxmem = 128 * params.N * params.r * 2 + 1024 * 1024;
        scrypt(
          passphrase,
          Buffer.from(params.salt, 'base64'),
          32,
          { N: params.N, r: params.r, p: params.p, maxmem },
          (error, key) =>
            error
              ? reject(
                  storeError(
                    'store_unavailable',
                    'Could not stretch the passphrase with scrypt.',
                    {},
                    error,
                  ),
                )
              : resolvePromise(key),
        );
      }),
  );
}

function parseKeyFile(bytes: Buffer, path: string): Buffer {
  const key = Buffer.from(bytes.toString('utf8').trim(), 'base64');
  if (key.length !== 32) {
    throw storeError(
      'store_corrupt',
      `The key file ${path} does not hold a 256-bit key (base64).`,
      { path },
    );
  }
  return key;
}

/** Reads the key file, creating it (random 256-bit key, 0600, atomically) on first use. */
export function loadKeyFile(path: string, policy: PermissionPolicy): Promise<Buffer> {
  const full = resolve(path);
  return cached(`file:${full}`, async () => {
    const existing = await readPrivateFile(full, policy, 'the key file');
    if (existing) return parseKeyFile(existing, full);
    try {
      const { createExclusive, mkdir } = await import('./writes.ts');
      await mkdir(dirname(full), { recursive: true, mode: 0o700 });
      const text = Buffer.from(`${randomBytes(32).toString('base64')}\n`, 'utf8');
      // If another process created it first, we read and use theirs.
      await createExclusive(dirname(full), basename(full), text);
    } catch (error) {
      throw writeFailed('the key file', full, error);
    }
    const created = await readPrivateFile(full, policy, 'the key file');
    if (!created) throw readFailed('the key file', full, new Error('vanished after creation'));
    return parseKeyFile(created, full);
  });
}
