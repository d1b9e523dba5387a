import type { ProxyOptions } from '../commands/proxy.ts';
import type { Settings } from '../settings.ts';
import { DEFAULT_LOGIN_TIMEOUT } from './login-timeout.ts';

/**
 * The `mcpServers` entry an MCP host (Claude Desktop, Cursor, VS Code, ...) needs to start
 * this bridge, with the flags given besides --print-config: the bridge's own, and the store
 * settings and HTTP timeout the command ran with (from flags or the environment), so that the
 * host's bridge reaches the same tokens.
 */
export function hostConfig(
  name: string,
  server: string,
  options: ProxyOptions,
  settings: Pick<Settings, 'storeArgs' | 'httpTimeoutMs'>,
): unknown {
  const args = ['-y', '@mcp-oauth/cli', 'proxy', server, ...settings.storeArgs];
  if (settings.httpTimeoutMs !== undefined)
    args.push('--http-timeout', String(settings.httpTimeoutMs / 1000));
  if (options.transport !== 'http-first') args.push('--transport', options.transport);
  for (const header of options.header) args.push('--header', header);
  for (const pattern of options.ignoreTool) args.push('--ignore-tool', pattern);
  if (options.allowHttp) args.push('--allow-http');
  if (options.timeout !== DEFAULT_LOGIN_TIMEOUT) args.push('--timeout', options.timeout);
  if (options.silent) args.push('--silent');
  if (options.debug) args.push('--debug');
  return { mcpServers: { [name]: { command: 'npx', args } } };
}

/**
 * The settings only the environment gives (they may hold secrets, so no flag carries them):
 * the host must set them too, in the entry's `env`.
 */
export function environmentTheHostNeeds(
  settings: Pick<Settings, 'store' | 'passphrase'>,
): string[] {
  return [
    ...(settings.passphrase ? ['MCP_OAUTH_PASSPHRASE'] : []),
    ...(settings.store === 'redis' ? ['MCP_OAUTH_REDIS_URL', 'MCP_OAUTH_REDIS_KEY'] : []),
  ];
}
