import type { ProxyOptions } from './commands/proxy.ts';
import { globalFlags, parsePlainCommandLine } from './global-options.ts';
import { DEFAULT_LOGIN_TIMEOUT } from './proxy/login-timeout.ts';
import type * as ProxyCommand from './proxy/run-proxy-command.ts';

/**
 * `mcp-oauth proxy <server>`, the command MCP hosts spawn for every window, parsed without
 * commander and run without the other commands' definitions: `loadCommand` gives
 * src/proxy/run-proxy-command.ts (the bin: from the one file the build bundles with everything
 * the bridge loads, dist/proxy.cjs, see src/load-proxy-command.ts), called only for a command
 * line this takes. Only plain, well-formed command lines are taken; anything
 * else (--help, an unknown option, a bad --transport, a missing or extra argument, `--`, another
 * command) returns false, and the full program parses it and answers as it always has.
 */
export async function runProxyEntry(
  args: readonly string[],
  loadCommand: () => typeof ProxyCommand | Promise<typeof ProxyCommand>,
): Promise<boolean> {
  const parsed = parsePlainCommandLine(args, PROXY_OPTIONS);
  if (!parsed) return false;
  const { values, positionals } = parsed;
  const [command, server, ...extra] = positionals;
  if (command !== 'proxy' || server === undefined || extra.length > 0) return false;
  const transport = values.transport ?? 'http-first';
  if (!isStrategy(transport)) return false;

  const options: ProxyOptions = {
    transport,
    header: values.header ?? [],
    ignoreTool: values['ignore-tool'] ?? [],
    timeout: values.timeout ?? DEFAULT_LOGIN_TIMEOUT,
    ...(values['allow-http'] ? { allowHttp: true } : {}),
    ...(values.silent ? { silent: true } : {}),
    ...(values.debug ? { debug: true } : {}),
    ...(values['print-config'] ? { printConfig: true } : {}),
  };
  const { runProxyCommand } = await loadCommand();
  await runProxyCommand(globalFlags(values), server, options);
  return true;
}

const STRATEGIES: readonly string[] = ['http-first', 'sse-first', 'http-only', 'sse-only'];
const isStrategy = (value: string): value is ProxyOptions['transport'] =>
  STRATEGIES.includes(value);

/** `proxy`'s own options (src/commands/proxy.ts). */
const PROXY_OPTIONS = {
  transport: { type: 'string' },
  header: { type: 'string', multiple: true },
  'ignore-tool': { type: 'string', multiple: true },
  'allow-http': { type: 'boolean' },
  silent: { type: 'boolean' },
  debug: { type: 'boolean' },
  timeout: { type: 'string' },
  'print-config': { type: 'boolean' },
} as const;
