import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh private temporary folder; `remove()` deletes it. */
export async function tempDir(
  prefix = 'mcp-oauth-store-file-',
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A fresh private temporary folder for the running test, deleted when the test ends. */
export async function testDir(): Promise<string> {
  const dir = await tempDir();
  onTestFinished(() => dir.remove());
  return dir.path;
}
