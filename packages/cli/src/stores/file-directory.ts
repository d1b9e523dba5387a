import { homedir } from 'node:os';
import { userDataDirectory } from '@mcp-oauth/internal/node';

/** The file store's default folder, by the rules of @mcp-oauth/store-file (for display only). */
export function defaultFileDirectory(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string {
  return userDataDirectory('mcp-oauth', { env, platform, home: env.HOME || homedir() });
}
