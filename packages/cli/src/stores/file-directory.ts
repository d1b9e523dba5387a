import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { userDataDirectory } from '@mcp-oauth/internal/node';
import type { Settings } from '../settings.ts';

/** The file store's default folder, by the rules of @mcp-oauth/store-file (for display only). */
export function defaultFileDirectory(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string {
  return userDataDirectory('mcp-oauth', { env, platform, home: env.HOME || homedir() });
}

/**
 * False when the settings choose a file store in a folder where none was made (no
 * `store.json`): `--store file`, or a folder given to `--store auto`. Opening one would make
 * it, with its key; a command that only reads (shell completion, on every TAB) asks first.
 */
export function fileStoreMayExist(settings: Settings): boolean {
  const file = settings.store === 'file' || (settings.store === 'auto' && settings.dir);
  if (!file) return true;
  return existsSync(join(settings.dir ?? defaultFileDirectory(settings.env), 'store.json'));
}
