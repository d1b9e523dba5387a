import type { ProxyOptions } from '../commands/proxy.ts';

/**
 * The `mcpServers` entry an MCP host (Claude Desktop, Cursor, VS Code, ...) needs to start
 * this bridge, with the flags given besides --print-config.
 */
export function hostConfig(name: string, server: string, options: ProxyOptions): unknown {
  const args = ['-y', '@mcp-oauth/cli', 'proxy', server];
  if (options.transport !== 'http-first') args.push('--transport', options.transport);
  for (const header of options.header) args.push('--header', header);
  for (const pattern of options.ignoreTool) args.push('--ignore-tool', pattern);
  if (options.allowHttp) args.push('--allow-http');
  if (options.silent) args.push('--silent');
  if (options.debug) args.push('--debug');
  return { mcpServers: { [name]: { command: 'npx', args } } };
}
