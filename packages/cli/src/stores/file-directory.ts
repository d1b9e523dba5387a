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
 * False when the store in use (`kind`, as opened: `--store auto` may have chosen the keychain) is
 * the file store, in a folder given (`--dir`, MCP_OAUTH_DIR) where none was made (no
 * `store.json`): a mistyped folder. Reading one would make it, with its key; a command that only
 * reads (shell completion, on every TAB) asks first. The default folder is where a login would
 * make it: opened as usual (a folder that cannot be made is then said, with --dir).
 */
export function fileStoreMayExist(settings: Settings, kind: string): boolean {
  if (kind !== 'file' || settings.dir === undefined) return true;
  return existsSync(join(settings.dir, 'store.json'));
}
