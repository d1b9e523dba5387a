import { Command } from 'commander';
import { type CliAliasRecord, listAliases, resolveServer } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { EXIT, type ExitCode, exitCodeFor } from '../exit-codes.ts';
import { columns } from '../format.ts';
import { notLoggedIn, withLoginHint, withStepUpHint } from '../login-needed.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { cliMessage, loginLine } from '../option-flags.ts';
import { SCHEMA_VERSION } from '../output.ts';
import { runAction } from '../run-action.ts';

/** What the server said to one authenticated request. */
export type ServerStatus = 'ok' | 'login-needed' | 'unreachable' | 'failed';

export interface StatusEntry {
  schemaVersion: typeof SCHEMA_VERSION;
  name: string;
  serverUrl: string;
  status: ServerStatus;
  /** 0 when ok; otherwise the exit code this server alone would give. */
  exitCode: ExitCode;
  /** The MCP server's HTTP status, when it answered. */
  httpStatus: number | null;
  /** The error code (`[code]` in messages), when it failed. */
  code: string | null;
  message: string | null;
}

export function statusCommand(): Command {
  return new Command('status')
    .description(
      'Check with each server that its tokens work: refresh when due, then one authenticated MCP request.',
    )
    .argument('[name]', 'a name given at login, or the server URL (default: every server)')
    .option('--json', 'print as JSON on stdout (an array)')
    .addHelpText(
      'after',
      `
Sends an MCP initialize request with the stored tokens (refreshed first when due) and
reports, one line per server: ok, login needed, unreachable or failed. Never logs in.
Exit code 3 when any server needs a login, else 6 when any is unreachable, else 1 when
any failed otherwise; 0 when all are ok.

Examples:
  $ mcp-oauth status
  $ mcp-oauth status notion
  $ mcp-oauth status --json | jq -r '.[] | select(.status != "ok") | .name'`,
    )
    .action((name: string | undefined, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, (ctx) => status(ctx, name, options)),
    );
}

async function status(
  ctx: CommandContext,
  name: string | undefined,
  options: { json?: boolean },
): Promise<number> {
  const store = await ctx.store();
  const aliases =
    name === undefined
      ? await listAliases(store)
      : [await resolveServer(store, name, ctx.settings.storeFlags)];
  const entries: StatusEntry[] = [];
  for (const alias of aliases) entries.push(await check(ctx, alias));
  if (options.json) {
    ctx.out.json(entries);
  } else if (entries.length === 0) {
    ctx.out.info(`No servers in ${store.description}. Log in with: mcp-oauth login <url>`);
  } else {
    const { style } = ctx.out;
    const word = (s: ServerStatus) =>
      s === 'ok'
        ? ctx.out.dataStyle.green('ok')
        : ctx.out.dataStyle.red(s === 'login-needed' ? 'login needed' : s);
    for (const line of columns(entries.map((e) => [e.name, word(e.status), e.serverUrl])))
      ctx.out.data(line);
    for (const e of entries)
      if (e.message) ctx.out.info(`${style.yellow(`${e.name}:`)} ${e.message}`);
  }
  return overallExitCode(entries);
}

/** 3 when any server needs a login, else 6 when any is unreachable, else 1 when any failed. */
export function overallExitCode(entries: readonly { exitCode: ExitCode }[]): ExitCode {
  const codes = new Set(entries.map((e) => e.exitCode));
  if (codes.has(EXIT.loginNeeded)) return EXIT.loginNeeded;
  if (codes.has(EXIT.network)) return EXIT.network;
  for (const code of codes) if (code !== EXIT.ok) return code;
  return EXIT.ok;
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'mcp-oauth-cli-status', version: '1' },
  },
});

/** Refresh when due, then one `initialize` through the authorized fetch. */
async function check(ctx: CommandContext, alias: CliAliasRecord): Promise<StatusEntry> {
  const base = { schemaVersion: SCHEMA_VERSION, name: alias.name, serverUrl: alias.serverUrl };
  const target = { url: alias.serverUrl, name: alias.name, store: ctx.settings.storeFlags };
  // the scope a 403 asked for (core's step-up event): a login that adds it is told
  let stepUp: string | undefined;
  const failed = (error: unknown, httpStatus: number | null = null): StatusEntry => {
    // a login needed after a 403 that asked for more scope: the scopes to log in with
    const steppedUp = stepUp !== undefined && exitCodeFor(error) === EXIT.loginNeeded;
    const hinted =
      steppedUp && stepUp
        ? withStepUpHint(error, alias, stepUp, ctx.settings.storeFlags)
        : withLoginHint(error, alias, ctx.settings.storeFlags);
    const exitCode = exitCodeFor(hinted);
    const code = (hinted as { code?: unknown }).code;
    return {
      ...base,
      status:
        exitCode === EXIT.loginNeeded
          ? 'login-needed'
          : exitCode === EXIT.network
            ? 'unreachable'
            : 'failed',
      exitCode,
      // a step-up ends in a 403 for lack of scope
      httpStatus: httpStatus ?? (steppedUp ? 403 : null),
      code: typeof code === 'string' ? code : null,
      message: cliMessage(hinted, target),
    };
  };
  try {
    const oauth = await oauthClientFor(ctx, alias, {
      progress: ['refreshed'],
      onEvent: (event) => {
        if (event.type === 'step_up') stepUp = event.scope;
      },
    });
    if (!(await oauth.status())) {
      return {
        ...base,
        status: 'login-needed',
        exitCode: EXIT.loginNeeded,
        httpStatus: null,
        code: 'not_logged_in',
        message: notLoggedIn(alias, ctx.settings.storeFlags).message,
      };
    }
    // refreshed first when due: a rejected refresh token is "login needed", told as such
    await oauth.getAccessToken();
    const response = await oauth.fetch(alias.serverUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: INITIALIZE,
    });
    await response.body?.cancel().catch(() => {});
    const session = response.headers.get('mcp-session-id');
    if (session) {
      // end the session the check opened (servers may refuse: ignored)
      await oauth
        .fetch(alias.serverUrl, { method: 'DELETE', headers: { 'mcp-session-id': session } })
        .then((r) => r.body?.cancel())
        .catch(() => {});
    }
    if (response.ok)
      return {
        ...base,
        status: 'ok',
        exitCode: EXIT.ok,
        httpStatus: response.status,
        code: null,
        message: null,
      };
    const loginNeeded = response.status === 401 || response.status === 403;
    return {
      ...base,
      status: loginNeeded ? 'login-needed' : 'failed',
      exitCode: loginNeeded ? EXIT.loginNeeded : EXIT.failure,
      httpStatus: response.status,
      code: loginNeeded ? 'login_needed' : 'http_error',
      message: loginNeeded
        ? `The server refused the tokens (HTTP ${response.status}). Log in again: ${loginLine(target)}`
        : `The server answered HTTP ${response.status} to an MCP initialize request.`,
    };
  } catch (error) {
    return failed(error);
  }
}
