import { detectBrowserEnvironment } from '@mcp-oauth/loopback';

const REASONS = {
  browser_none: 'BROWSER=none',
  ci: 'running on CI',
  ssh: 'connected over SSH',
  no_display: 'no display',
} as const;

/** Whether a browser can be opened here, by the loopback package's own rules. */
export function browserAvailable(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): { available: boolean; reason?: string } {
  const found = detectBrowserEnvironment(env, platform);
  return found.kind === 'none'
    ? { available: false, reason: REASONS[found.reason] }
    : { available: true };
}
