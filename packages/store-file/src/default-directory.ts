import { userDataDirectory } from '@mcp-oauth/internal/node';

/** The platform's per-user data folder for the store (see `directory` in options.ts). */
export function defaultDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home?: string,
): string {
  return userDataDirectory('mcp-oauth', { env, platform, ...(home ? { home } : {}) });
}
