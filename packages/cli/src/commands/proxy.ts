import { Command, Option } from 'commander';
import { DEFAULT_LOGIN_TIMEOUT } from '../proxy/login-timeout.ts';
import { runAction } from '../run-action.ts';

/** What `proxy` is told; the bridge itself is loaded only when the command runs. */
export interface ProxyOptions {
  transport: 'http-first' | 'sse-first' | 'http-only' | 'sse-only';
  header: string[];
  ignoreTool: string[];
  allowHttp?: boolean;
  silent?: boolean;
  debug?: boolean;
  printConfig?: boolean;
  timeout: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function proxyCommand(): Command {
  return new Command('proxy')
    .description(
      'A stdio bridge for MCP hosts: speaks MCP on stdin/stdout and forwards every message to the OAuth-protected server.',
    )
    .argument('<server>', 'a name given at login, or the MCP server URL')
    .addOption(
      new Option('--transport <strategy>', 'transport to the server')
        .choices(['http-first', 'sse-first', 'http-only', 'sse-only'])
        .default('http-first'),
    )
    .addOption(
      new Option(
        '--header <header>',
        `extra header "Name: value" on every request to the server (repeatable; \${VAR} is taken from the environment)`,
      )
        .argParser(collect)
        .default([], 'none'),
    )
    .addOption(
      new Option(
        '--ignore-tool <pattern>',
        'hide tools whose name matches (* wildcards, case-insensitive) from tools/list and refuse calls to them (repeatable)',
      )
        .argParser(collect)
        .default([], 'none'),
    )
    .option('--allow-http', 'allow plain http for a server that is not on a loopback address')
    .option('--silent', 'no log lines on stderr')
    .option(
      '--debug',
      'log every message (method and id, never content or tokens) to a file per server',
    )
    .addOption(
      new Option('--timeout <seconds>', 'how long a login in the browser may take').default(
        DEFAULT_LOGIN_TIMEOUT,
        DEFAULT_LOGIN_TIMEOUT,
      ),
    )
    .option('--print-config', 'print the JSON to add to an MCP host configuration, and exit')
    .addHelpText(
      'after',
      `
Configure a desktop host (Claude Desktop, Cursor, ...) with:
  { "mcpServers": { "notion": { "command": "npx", "args": ["-y", "@mcp-oauth/cli", "proxy", "notion"] } } }
(mcp-oauth proxy <server> --print-config prints it.)

Uses the stored tokens of a name (see login), refreshed when due; one refresh per expiry
across all bridges sharing the store. With a URL and no tokens, logs in on first use in the
browser (one browser for many bridges started at once). Where no browser can be opened, a
running bridge that must log in again answers the request with the device code to enter, if
the authorization server offers the device flow, else with an error naming the login
command; once logged in, the running bridge uses the new tokens on the next request.
Logs go to stderr; stdout carries only MCP messages.

Examples:
  $ mcp-oauth proxy notion
  $ mcp-oauth proxy https://mcp.example.com/mcp --transport sse-only
  $ mcp-oauth proxy notion --header 'X-Tenant: \${TENANT_ID}' --ignore-tool 'delete*'`,
    )
    .action((server: string, options: ProxyOptions, cmd: Command) =>
      runAction(cmd, async (ctx) => {
        const { runProxy } = await import('../proxy/run-proxy.ts');
        return runProxy(ctx, server, options);
      }),
    );
}
