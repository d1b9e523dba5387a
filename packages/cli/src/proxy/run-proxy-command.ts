import type { ProxyOptions } from '../commands/proxy.ts';
import { runWithFlags } from '../run-action.ts';
import type { GlobalFlags } from '../settings.ts';
import { runProxy } from './run-proxy.ts';

/**
 * `mcp-oauth proxy <server>` with flags parsed by src/proxy-entry.ts: the entry of the bundle
 * the build makes for the bridge (dist/proxy.cjs, tsdown.config.ts), which holds everything
 * the command loads, so that a start resolves and reads one file.
 */
export function runProxyCommand(
  flags: GlobalFlags,
  server: string,
  options: ProxyOptions,
): Promise<void> {
  return runWithFlags(flags, (ctx) => runProxy(ctx, server, options));
}
