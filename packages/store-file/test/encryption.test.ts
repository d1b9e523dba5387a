import { chmod, cp, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../src/index.ts';
import { allFiles, recordFiles } from './helpers/files.ts';
import { testDir } from './helpers/temp-dir.ts';

const SECRET_AT = 'eyJhbGciOiJSUzI1NiJ9.secret-access-token-0123456789';
const SECRET_RT = 'refresh-token-secret-abcdefghijklmnop';
const KEY = 'tokens/https://mcp.secret-server.example.com/mcp';

describe('encryption at rest', () => {
  it('no file in the store contains the tokens, the record key or any JSON of the record', async () => {
    const directory = await testDir();
    const store = fileStore({ directory, namespace: 'tenant-x' });
    await store.set(KEY, { v: 1, access_token: SECRET_AT, refresh_token: SECRET_RT });
    await store.lock(KEY).then((l) => l.release());
    expect(await store.get(KEY)).toEqual({
      v: 1,
      access_token: SECRET_AT,
      refresh_token: SECRET_RT,
    });
    const files = await allFiles(directory);
    expect(files.length).toBeGreaterThanOrEqual(3); // key file, metadata, record
    const needles = [SECRET_AT, SECRET_RT, KEY, 'secret-server', 'access_token', 'refresh_token'];
    for (const { path, bytes } of files) {
      for (const needle of needles) {
        const forms = [
          Buffer.from(needle, 'utf8'),
          Buffer.from(needle, 'utf16le'),
          Buffer.from(Buffer.from(needle).toString('base64').slice(0, -4)),
        ];
        for (const form of forms) expect(bytes.includes(form), `${needle} in ${path}`).toBe(false);
      }
      expect(path).not.toContain('secret-server');
    }
  });

  it('uses a fresh nonce per write: the same record written twice gives different bytes', async () => {
    const directory = await testDir();
    const store = fileStore({ directory });
    const { readFile } = await import('node:fs/promises');
    await store.set('k', { v: 1, same: true });
    const [file] = await recordFiles(directory);
    const first = await readFile(file as string);
    await store.set('k', { v: 1, same: true });
    const second = await readFile(file as string);
    expect(first.length).toBe(second.length);
    expect(first.equals(second)).toBe(false);
    // the 12-byte nonce after the 5-byte header differs
    expect(first.subarray(5, 17).equals(second.subarray(5, 17))).toBe(false);
  });

  it('names files by a keyed hash: the same key gets different names in stores with different keys', async () => {
    const a = await testDir();
    const b = await testDir();
    await fileStore({ directory: a }).set(KEY, { v: 1 });
    await fileStore({ directory: b }).set(KEY, { v: 1 });
    const [fa] = await recordFiles(a);
    const [fb] = await recordFiles(b);
    expect(fa?.split('/').pop()).toMatch(/^[0-9a-f]{64}\.rec$/);
    expect(fa?.split('/').pop()).not.toBe(fb?.split('/').pop());
  });

  it('creates the key file with a 256-bit key and mode 0600', async () => {
    const directory = await testDir();
    await fileStore({ directory }).set('k', { v: 1 });
    const keyFile = join(directory, 'store.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const { readFile } = await import('node:fs/promises');
    expect(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64')).toHaveLength(32);
  });

  it('a supplied key opens the store from another instance; no key file is created', async () => {
    const directory = await testDir();
    const key = new Uint8Array(32).fill(7);
    await fileStore({ directory, keySource: { kind: 'key', key } }).set('k', { v: 1, ok: true });
    expect(await fileStore({ directory, keySource: { kind: 'key', key } }).get('k')).toEqual({
      v: 1,
      ok: true,
    });
    const names = (await allFiles(directory)).map((f) => f.path);
    expect(names.some((n) => n.endsWith('store.key'))).toBe(false);
  });

  it('reads a store written by 0.1 (the cipher and key derivation now come from @mcp-oauth/internal)', async () => {
    const directory = join(await testDir(), 'store');
    await cp(join(import.meta.dirname, 'fixtures', 'store-0.1'), directory, { recursive: true });
    for (const dir of [
      directory,
      join(directory, 'namespaces'),
      join(directory, 'namespaces', 'ns'),
    ])
      await chmod(dir, 0o700);
    for (const { path } of await allFiles(directory)) await chmod(path, 0o600);
    const store = fileStore({
      directory,
      namespace: 'ns',
      keySource: { kind: 'key', key: Buffer.alloc(32, 7) },
    });
    expect(await store.list()).toEqual(['https://mcp.example/mcp']);
    expect(await store.get('https://mcp.example/mcp')).toEqual({
      v: 1,
      tokens: { access_token: 'a', refresh_token: 'r' },
    });
  });
});
