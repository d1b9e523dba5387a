import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore } from '../src/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

/**
 * A real full disk and a real read-only folder: a 64 KiB tmpfs mounted for the test
 * (remounted read-only for the second case). Root bypasses chmod, not a read-only mount.
 * Needs permission to mount; skipped, and said so, where it is missing.
 */
let dir: Awaited<ReturnType<typeof tempDir>>;
let mountPoint = '';
let mounted = false;

beforeAll(async () => {
  dir = await tempDir();
  mountPoint = join(dir.path, 'tmpfs');
  execFileSync('mkdir', ['-p', mountPoint]);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', mountPoint], {
      stdio: 'ignore',
    });
    mounted = true;
  } catch {
    console.warn(
      'disk.test.ts: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN); full-disk tests skipped.',
    );
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', [mountPoint]);
  await dir.remove();
});

async function writeError(promise: Promise<unknown>): Promise<McpOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(McpOAuthError.is(error, 'store_write_failed'), String(error)).toBe(true);
  return error as McpOAuthError;
}

describe('full disk and read-only folder', () => {
  it('ENOSPC: the write fails loudly, the previous record is kept, no temp file is left', async (ctx) => {
    if (!mounted) ctx.skip();
    const store = fileStore({ directory: mountPoint, namespace: 'full' });
    await store.set('keep', { v: 1, value: 'previous' });
    const huge = { v: 1, value: 'x'.repeat(200_000) };
    const error = await writeError(store.set('keep', huge));
    expect(error.details.errno).toBe('ENOSPC');
    expect(error.details.key).toBe('keep');
    expect(error.message).toContain('disk is full');
    expect(await store.get('keep')).toEqual({ v: 1, value: 'previous' });
    await writeError(store.set('other', huge));
    expect(await store.get('other')).toBeUndefined();
    const names = await readdir(join(mountPoint, 'namespaces', 'full'));
    expect(names.filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(await store.list()).toEqual(['keep']);
  });

  it('read-only folder: set and delete fail with store_write_failed, reads keep working', async (ctx) => {
    if (!mounted) ctx.skip();
    const store = fileStore({ directory: mountPoint, namespace: 'ro' });
    await store.set('keep', { v: 1, value: 'previous' });
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    try {
      const error = await writeError(store.set('keep', { v: 1, value: 'new' }));
      expect(error.details.errno).toBe('EROFS');
      await writeError(store.delete('keep'));
      expect(await store.get('keep')).toEqual({ v: 1, value: 'previous' });
      expect(await store.list()).toEqual(['keep']);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    }
  });
});
