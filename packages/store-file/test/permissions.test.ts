import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';
import { describe, expect, it } from 'vitest';
import { type FileStoreWarning, fileStore } from '../src/index.ts';
import { allFiles, recordFiles } from './helpers/files.ts';
import { testDir } from './helpers/temp-dir.ts';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const isRoot = process.getuid?.() === 0;

async function rejection(promise: Promise<unknown>): Promise<McpOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(McpOAuthError.isInstance(error), String(error)).toBe(true);
  return error as McpOAuthError;
}

describe.skipIf(process.platform === 'win32')('permissions', () => {
  it('creates folders 0700 and files 0600', async () => {
    const directory = join(await testDir(), 'nested', 'store');
    const store = fileStore({ directory, namespace: 'ns' });
    await store.set('k', { v: 1 });
    await (await store.lock('k')).release();
    for (const d of [
      directory,
      join(directory, 'namespaces'),
      join(directory, 'namespaces', 'ns'),
      join(directory, 'namespaces', 'ns', 'locks'),
    ]) {
      expect(await modeOf(d), d).toBe(0o700);
    }
    for (const { path } of await allFiles(directory)) expect(await modeOf(path), path).toBe(0o600);
  });

  it("fixes looser permissions with a 'permissions_fixed' warning (default policy)", async () => {
    const directory = await testDir();
    // A key file made by hand with loose permissions: checked when first read.
    await writeFile(join(directory, 'store.key'), `${randomBytes(32).toString('base64')}\n`, {
      mode: 0o644,
    });
    await chmod(join(directory, 'store.key'), 0o644);
    await fileStore({ directory, onWarning: () => {} }).set('k', { v: 1, kept: true });
    const [record] = await recordFiles(directory);
    await chmod(directory, 0o755);
    await chmod(join(directory, 'namespaces', 'default'), 0o777);
    await chmod(record as string, 0o644);
    const warnings: FileStoreWarning[] = [];
    const store = fileStore({ directory, onWarning: (w) => warnings.push(w) });
    expect(await store.get('k')).toEqual({ v: 1, kept: true });
    expect(await modeOf(directory)).toBe(0o700);
    expect(await modeOf(join(directory, 'namespaces', 'default'))).toBe(0o700);
    expect(await modeOf(record as string)).toBe(0o600);
    expect(warnings.map((w) => w.code)).toEqual([
      'permissions_fixed',
      'permissions_fixed',
      'permissions_fixed',
    ]);
    expect(warnings.map((w) => w.path)).toContain(record);
  });

  it('fixes a hand-made key file with loose permissions when it is first read', async () => {
    const directory = await testDir();
    await writeFile(join(directory, 'store.key'), `${randomBytes(32).toString('base64')}\n`);
    await chmod(join(directory, 'store.key'), 0o640);
    const warnings: FileStoreWarning[] = [];
    await fileStore({ directory, onWarning: (w) => warnings.push(w) }).set('k', { v: 1 });
    expect(await modeOf(join(directory, 'store.key'))).toBe(0o600);
    expect(warnings.map((w) => w.path)).toEqual([join(directory, 'store.key')]);
  });

  it("throws store_insecure_permissions and changes nothing with insecurePermissions: 'error'", async () => {
    const directory = await testDir();
    await fileStore({ directory }).set('k', { v: 1 });
    const [record] = await recordFiles(directory);
    await chmod(record as string, 0o604);
    const strict = fileStore({ directory, insecurePermissions: 'error' });
    const error = await rejection(strict.get('k'));
    expect(error.code).toBe('store_insecure_permissions');
    expect(error.message).toContain('chmod 600');
    expect(await modeOf(record as string)).toBe(0o604);
    await chmod(directory, 0o750);
    const fresh = fileStore({ directory, insecurePermissions: 'error' });
    expect((await rejection(fresh.list())).code).toBe('store_insecure_permissions');
    expect(await modeOf(directory)).toBe(0o750);
  });

  it.skipIf(!isRoot)('refuses files owned by another user', async () => {
    const directory = await testDir();
    const store = fileStore({ directory });
    await store.set('k', { v: 1 });
    const [record] = await recordFiles(directory);
    await chown(record as string, 12345, 12345);
    expect((await rejection(store.get('k'))).code).toBe('store_insecure_permissions');
  });
});

describe.skipIf(process.platform === 'win32')('symlinks planted in the store folder', () => {
  it('refuses to read a record file that is a symlink, and never writes through it', async () => {
    const directory = await testDir();
    const outside = join(await testDir(), 'target');
    await writeFile(outside, 'attacker-controlled', { mode: 0o600 });
    const store = fileStore({ directory });
    await store.set('k', { v: 1 });
    const [record] = await recordFiles(directory);
    const { unlink } = await import('node:fs/promises');
    await unlink(record as string);
    await symlink(outside, record as string);
    const error = await rejection(store.get('k'));
    expect(error.code).toBe('store_insecure_permissions');
    expect(error.message).toContain('symbolic link');
    expect((await rejection(store.delete('k'))).code).toBe('store_insecure_permissions');
    // set replaces the link itself (rename), the target stays untouched
    await store.set('k', { v: 2 });
    expect(await readFile(outside, 'utf8')).toBe('attacker-controlled');
    expect(await store.get('k')).toEqual({ v: 2 });
  });

  it('refuses a namespace folder that is a symlink', async () => {
    const directory = await testDir();
    const elsewhere = await testDir();
    await mkdir(join(directory, 'namespaces'), { recursive: true, mode: 0o700 });
    await symlink(elsewhere, join(directory, 'namespaces', 'evil'));
    const error = await rejection(fileStore({ directory, namespace: 'evil' }).set('k', { v: 1 }));
    expect(error.code).toBe('store_insecure_permissions');
    expect(await allFiles(elsewhere)).toEqual([]);
  });

  it('refuses a key file that is a symlink', async () => {
    const directory = await testDir();
    const elsewhere = join(await testDir(), 'key');
    await writeFile(elsewhere, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await symlink(elsewhere, join(directory, 'store.key'));
    const error = await rejection(fileStore({ directory }).set('k', { v: 1 }));
    expect(error.code).toBe('store_insecure_permissions');
  });
});
