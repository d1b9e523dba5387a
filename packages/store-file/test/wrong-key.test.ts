import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { McpOAuthError, type McpOAuthErrorCode } from '@mcp-oauth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore } from '../src/index.ts';
import { allFiles, recordFiles } from './helpers/files.ts';
import { tempDir } from './helpers/temp-dir.ts';

const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
afterAll(async () => {
  for (const d of dirs.splice(0)) await d.remove();
});
async function newDir() {
  const d = await tempDir();
  dirs.push(d);
  return d.path;
}
async function codeOf(promise: Promise<unknown>): Promise<McpOAuthErrorCode | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return McpOAuthError.isInstance(error) ? error.code : undefined;
}

const PASSPHRASE = 'correct horse battery staple';

describe('passphrase key source', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await newDir();
    await fileStore({ directory, keySource: { kind: 'passphrase', passphrase: PASSPHRASE } }).set(
      'k',
      { v: 1, ok: true },
    );
  }, 30_000);

  it('reopens with the same passphrase and keeps the scrypt salt in the folder, not the passphrase', async () => {
    const store = fileStore({
      directory,
      keySource: { kind: 'passphrase', passphrase: PASSPHRASE },
    });
    expect(await store.get('k')).toEqual({ v: 1, ok: true });
    const meta = JSON.parse(await readFile(join(directory, 'store.json'), 'utf8'));
    expect(meta.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    for (const { bytes } of await allFiles(directory))
      expect(bytes.includes(PASSPHRASE)).toBe(false);
  });

  it('a wrong passphrase gives store_wrong_key, without the passphrase in the error', async () => {
    const wrong = 'wrong horse battery staple';
    const store = fileStore({ directory, keySource: { kind: 'passphrase', passphrase: wrong } });
    const error = await store.get('k').catch((e: McpOAuthError) => e);
    expect(McpOAuthError.is(error, 'store_wrong_key')).toBe(true);
    // the way out names the option, so that another interface can say how it sets it
    expect((error as McpOAuthError).details.option).toBe('keySource');
    expect((error as Error).message).toContain('wrong passphrase. Open it with the `keySource`');
    expect(
      JSON.stringify({ m: (error as Error).message, d: (error as McpOAuthError).details }),
    ).not.toContain(wrong);
    expect(await codeOf(store.set('k', { v: 2 }))).toBe('store_wrong_key');
    // nothing was overwritten
    expect(
      await fileStore({ directory, keySource: { kind: 'passphrase', passphrase: PASSPHRASE } }).get(
        'k',
      ),
    ).toEqual({ v: 1, ok: true });
  }, 30_000);

  it('with the right passphrase, a damaged record is store_corrupt, not store_wrong_key', async () => {
    const store = fileStore({
      directory,
      keySource: { kind: 'passphrase', passphrase: PASSPHRASE },
      onWarning: () => {},
    });
    const before = new Set(await recordFiles(directory));
    await store.set('damaged', { v: 1 });
    const [file] = (await recordFiles(directory)).filter((f) => !before.has(f));
    const bytes = await readFile(file as string);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 1;
    await writeFile(file as string, bytes);
    expect(await codeOf(store.get('damaged'))).toBe('store_corrupt');
    expect(await store.get('k')).toEqual({ v: 1, ok: true });
  });

  it('a key file or supplied key cannot open a passphrase store', async () => {
    expect(await codeOf(fileStore({ directory }).get('k'))).toBe('store_wrong_key');
    expect(
      await codeOf(
        fileStore({ directory, keySource: { kind: 'key', key: randomBytes(32) } }).get('k'),
      ),
    ).toBe('store_wrong_key');
  });
});

describe('key file and supplied key', () => {
  it('a replaced key file gives store_wrong_key; records are untouched', async () => {
    const directory = await newDir();
    const keyPath = join(directory, 'custom.key');
    await fileStore({ directory, keySource: { kind: 'keyfile', path: keyPath } }).set('k', {
      v: 1,
    });
    const before = await recordFiles(directory);
    const otherPath = join(directory, 'other.key');
    await writeFile(otherPath, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    expect(
      await codeOf(
        fileStore({ directory, keySource: { kind: 'keyfile', path: otherPath } }).get('k'),
      ),
    ).toBe('store_wrong_key');
    expect(await recordFiles(directory)).toEqual(before);
  });

  it('a wrong supplied key gives store_wrong_key', async () => {
    const directory = await newDir();
    await fileStore({ directory, keySource: { kind: 'key', key: randomBytes(32) } }).set('k', {
      v: 1,
    });
    expect(
      await codeOf(
        fileStore({ directory, keySource: { kind: 'key', key: randomBytes(32) } }).list(),
      ),
    ).toBe('store_wrong_key');
  });

  it('a key file holding something else than a 256-bit key is store_corrupt', async () => {
    const directory = await newDir();
    const keyPath = join(directory, 'short.key');
    await writeFile(keyPath, 'c2hvcnQ=\n', { mode: 0o600 });
    expect(
      await codeOf(
        fileStore({ directory, keySource: { kind: 'keyfile', path: keyPath } }).get('k'),
      ),
    ).toBe('store_corrupt');
  });
});
