import { copyFile, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveKeys, fileIdOf } from '../src/crypto.ts';
import { fileStore } from '../src/index.ts';
import { encodeRecord } from '../src/record-format.ts';
import { tempDir } from './helpers/temp-dir.ts';

const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.remove();
});

const KEY = new Uint8Array(32).fill(3);

async function setup() {
  const d = await tempDir();
  dirs.push(d);
  const warnings: string[] = [];
  const store = fileStore({
    directory: d.path,
    keySource: { kind: 'key', key: KEY },
    onWarning: (w) => warnings.push(w.code),
  });
  await store.set('victim', { v: 1, who: 'victim' });
  await store.set('bystander', { v: 1, who: 'bystander' });
  const keys = deriveKeys(KEY);
  const pathOf = (key: string) =>
    join(d.path, 'namespaces', 'default', `${fileIdOf(keys, key)}.rec`);
  return { store, warnings, pathOf, keys, directory: d.path };
}

async function corruptError(promise: Promise<unknown>): Promise<McpOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(McpOAuthError.is(error, 'store_corrupt'), String(error)).toBe(true);
  return error as McpOAuthError;
}

type Damage = (path: string, bytes: Buffer) => Promise<void>;
const damages: [string, Damage][] = [
  [
    'a flipped ciphertext byte',
    (p, b) => writeFile(p, Buffer.from(b).fill((b[30] as number) ^ 1, 30, 31)),
  ],
  [
    'a flipped tag byte',
    (p, b) => writeFile(p, Buffer.from(b).fill((b[b.length - 1] as number) ^ 0x80, b.length - 1)),
  ],
  ['truncation by half', (p, b) => truncate(p, Math.floor(b.length / 2))],
  ['truncation to zero bytes', (p) => truncate(p, 0)],
  ['garbage', (p) => writeFile(p, '{"access_token":"plaintext"}')],
  ['a relabelled format version', (p, b) => writeFile(p, Buffer.from(b).fill(0, 4, 5))],
];

describe('damaged record files', () => {
  for (const [name, damage] of damages) {
    it(`${name}: get throws store_corrupt naming the key; others work; nothing is deleted`, async () => {
      const { store, warnings, pathOf } = await setup();
      const path = pathOf('victim');
      await damage(path, await readFile(path));
      const damaged = await readFile(path);
      const error = await corruptError(store.get('victim'));
      expect(error.details.key).toBe('victim');
      expect(error.message).toContain('"victim"');
      expect(await store.get('bystander')).toEqual({ v: 1, who: 'bystander' });
      expect(await store.list()).toEqual(['bystander']);
      expect(warnings).toEqual(['record_unreadable']);
      expect((await readFile(path)).equals(damaged)).toBe(true);
      // the damaged record can be replaced by a fresh write
      await store.set('victim', { v: 1, who: 'victim again' });
      expect(await store.get('victim')).toEqual({ v: 1, who: 'victim again' });
    });
  }

  it('a record file copied over another key is rejected (the key is bound)', async () => {
    const { store, pathOf } = await setup();
    await copyFile(pathOf('bystander'), pathOf('victim'));
    await corruptError(store.get('victim'));
  });

  it('a record file copied into another namespace is rejected (the namespace is bound)', async () => {
    const { store, pathOf, directory } = await setup();
    const other = fileStore({
      directory,
      namespace: 'other',
      keySource: { kind: 'key', key: KEY },
    });
    await other.set('unrelated', { v: 1 });
    await copyFile(pathOf('victim'), pathOf('victim').replace('/default/', '/other/'));
    await corruptError(other.get('victim'));
    expect(await store.get('victim')).toEqual({ v: 1, who: 'victim' });
  });

  it('a file from a newer format version asks for an upgrade', async () => {
    const { store, pathOf } = await setup();
    const bytes = await readFile(pathOf('victim'));
    await writeFile(pathOf('victim'), Buffer.from(bytes).fill(9, 4, 5));
    const error = await corruptError(store.get('victim'));
    expect(error.details.reason).toBe('unsupported_version');
    expect(error.message).toContain('upgrade');
  });
});

describe('format migration', () => {
  it('reads a v0 record and writes it back as v1 on the next set', async () => {
    const { store, pathOf, keys } = await setup();
    const fileId = fileIdOf(keys, 'old');
    await writeFile(
      pathOf('old'),
      encodeRecord({ keys, namespace: 'default', fileId }, 'old', { v: 1, legacy: true }, 0),
      { mode: 0o600 },
    );
    expect((await readFile(pathOf('old')))[4]).toBe(0);
    expect(await store.get('old')).toEqual({ v: 1, legacy: true });
    expect((await store.list()).sort()).toEqual(['bystander', 'old', 'victim']);
    await store.set('old', { v: 1, legacy: false });
    expect((await readFile(pathOf('old')))[4]).toBe(1);
    expect(await store.get('old')).toEqual({ v: 1, legacy: false });
  });
});
