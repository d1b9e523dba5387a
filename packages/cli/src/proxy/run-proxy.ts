import { join } from 'node:path';
import type { McpOAuthEvent } from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import {
  type CliAliasRecord,
  defaultName,
  isUrl,
  resolveServer,
  type ServerSettings,
} from '../aliases.ts';
import type { BridgeError } from '../bridge/bridge.ts';
import { BRIDGE_ERROR } from '../bridge/messages.ts';
import { runBridge } from '../bridge/run-bridge.ts';
import type { ProxyOptions } from '../commands/proxy.ts';
import type { CommandContext } from '../context.ts';
import { describeEvent } from '../describe-event.ts';
import { CliError, EXIT, exitCodeFor, usageError } from '../exit-codes.ts';
import { httpStatusOf } from '../http-status-of.ts';
import { withLoginHint, withRefusedTokensHint } from '../login-needed.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { cliMessage, loginLine } from '../option-flags.ts';
import { shellWord } from '../settings.ts';
import { defaultFileDirectory } from '../stores/file-directory.ts';
import { answerUntilClosed } from './answer-until-closed.ts';
import { deviceCodeAnswer } from './device-code-answer.ts';
import { parseHeaders } from './headers.ts';
import { lockedLogin } from './locked-login.ts';
import { createProxyLog } from './logger.ts';
import { loginWay } from './login-way.ts';
import { parseLoginTimeout } from './parse-login-timeout.ts';
import type { PendingDeviceCode } from './pending-device-code.ts';
import { environmentTheHostNeeds, hostConfig } from './print-config.ts';

/** `mcp-oauth proxy`: the stdio bridge, logged in with the store's tokens (or on first use). */
export async function runProxy(
  ctx: CommandContext,
  target: string,
  options: ProxyOptions,
): Promise<number> {
  const env = ctx.settings.env;
  if (options.printConfig) {
    // a name must be one given at login: a typo would end up in the host's configuration
    if (!isUrl(target)) await resolveServer(await ctx.store(), target, ctx.settings.storeFlags);
    const name = isUrl(target) ? defaultName(target) : target;
    process.stdout.write(
      `${JSON.stringify(hostConfig(name, target, options, ctx.settings), null, 2)}\n`,
    );
    const needed = environmentTheHostNeeds(ctx.settings);
    if (needed.length > 0)
      ctx.out.info(
        `The bridge also needs ${needed.join(' and ')} in its environment: add ${needed.length > 1 ? 'them' : 'it'} to the entry's "env" in the host's configuration.`,
      );
    return EXIT.ok;
  }
  const headers = parseHeaders(options.header, env);
  const timeoutMs = parseLoginTimeout(options.timeout);
  if (isUrl(target)) {
    try {
      canonicalResource(target);
    } catch {
      throw usageError(`"${target}" is not a valid MCP server URL.`);
    }
  } else if (/^[a-z][a-z\d+.-]*:\/\//i.test(target)) {
    throw usageError(
      `"${target}" is not an MCP server URL: give an http:// or https:// URL, or a name.`,
    );
  }
  const silent = options.silent === true;
  const debug = options.debug === true;
  let alias: CliAliasRecord;
  try {
    alias = await resolveServer(await ctx.store(), target, ctx.settings.storeFlags);
  } catch (error) {
    return cannotStart(ctx, target, error);
  }
  const serverName = isUrl(alias.name) ? defaultName(alias.serverUrl) : alias.name;
  // one log per server and namespace (namespaces share the folder; names never hold "@")
  const { namespace } = ctx.settings;
  const logName =
    namespace === 'default' ? serverName : `${encodeURIComponent(namespace)}@${serverName}`;
  const logFile = debug
    ? join(ctx.settings.dir ?? defaultFileDirectory(env), 'logs', `proxy-${logName}.log`)
    : undefined;
  const log = createProxyLog({ silent, debug, file: logFile });
  if (logFile) log('info', `debug log: ${logFile}`);

  const settings: ServerSettings = {
    ...alias.settings,
    ...(options.allowHttp ? { allowHttp: true } : {}),
  };
  const server = { serverUrl: alias.serverUrl, name: alias.name, settings };
  ctx.target = {
    url: alias.serverUrl,
    ...(isUrl(alias.name) ? {} : { name: alias.name }),
    store: ctx.settings.storeFlags,
  };
  /** The scope a 403 (or a 401 naming scopes not held) asked for on the request that just failed (core's step-up event). */
  let stepUp: string | undefined;
  const onEvent = (event: McpOAuthEvent) => {
    if (event.type === 'step_up') stepUp = event.scope;
    const line = describeEvent(event, { endpointsGiven: !!settings.authorizationServer });
    // a failure is logged by the bridge with the command line's words
    if (line) log('debug', line);
  };
  // No interaction here: a needed login is the bridge's to run, once across processes. After a
  // login (here or elsewhere) a new client reads the store again: the old one would keep
  // sending the tokens it holds while they are fresh, even those a step-up found too narrow.
  let oauth = await oauthClientFor(ctx, server, { onEvent });
  const renewed = async () => {
    oauth = await oauthClientFor(ctx, server, { onEvent });
  };
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const login = lockedLogin(ctx, alias, server, { timeoutMs, log, onEvent, signal: abort.signal });
  /** Why this bridge cannot log in by itself, once a login was needed and found no way. */
  let noLoginHere: string | undefined;
  /** The device code the host is told while the login waits on it. */
  let deviceCode: PendingDeviceCode | undefined;
  /** The type of the tokens the server refused with a final 401 (Bearer, DPoP). */
  let refusedType: string | undefined;
  log(
    'info',
    `bridging stdio to ${alias.serverUrl}${isUrl(alias.name) ? '' : ` ("${alias.name}")`}`,
  );
  try {
    const result = await runBridge({
      serverUrl: alias.serverUrl,
      oauth: { fetch: (input, init) => oauth.fetch(input, init) },
      transport: options.transport,
      headers,
      ignoreTools: options.ignoreTool,
      log,
      traceMessages: debug,
      signal: abort.signal,
      recover: async (error, message) => {
        // the server refused the tokens: their type, for the answer (DPoP-bound ones, --dpop off)
        if (httpStatusOf(error) === 401)
          refusedType = (await oauth.status().catch(() => undefined))?.tokenType;
        if (exitCodeFor(error) !== EXIT.loginNeeded) return false;
        await renewed();
        const opensSession = OPENING.has(message.method ?? '');
        const found = await loginWay(ctx, server, opensSession);
        if (!found.how) {
          noLoginHere = found.why;
          return false;
        }
        // the scopes a challenge asked for (with those held), and those the name was logged in
        // with: the challenge's never replace them, nor they the challenge's
        const scopes = stepUp
          ? [...new Set([...(settings.scopes ?? []), ...stepUp.split(' ')])]
          : undefined;
        stepUp = undefined;
        const answer = opensSession ? 'when-done' : 'at-code';
        // a device code: the request is answered with it, and the login goes on
        deviceCode = await login.start(found.how, scopes, answer);
        if (deviceCode) return false;
        await renewed();
        return true;
      },
      describeError: (error) => {
        const loginNeeded = exitCodeFor(error) === EXIT.loginNeeded;
        const described =
          loginNeeded && deviceCode && deviceCode.expiresAt > Date.now()
            ? deviceCodeAnswer(ctx, alias, deviceCode)
            : describeError(ctx, alias, error, {
                noLoginHere,
                stepUp,
                transport: options.transport,
                refusedType,
              });
        stepUp = undefined;
        return described;
      },
    });
    log(
      'debug',
      `forwarded ${result.forwarded.toRemote} messages to the server, ${result.forwarded.toHost} to the host`,
    );
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    // a login still waiting (a device code) lets its lock go for the next bridge
    await login.close();
  }
  // stdin is done with; nothing the bridge opened may keep the host waiting for the exit
  setTimeout(() => process.exit(), 1500).unref();
  return EXIT.ok;
}

/**
 * The store cannot be opened, or no server has the name given: said on stderr at once, and to
 * every request of the host until it closes the bridge (src/proxy/answer-until-closed.ts),
 * with the command that logs in for an unknown name. Ends with the failure's exit code.
 */
async function cannotStart(ctx: CommandContext, target: string, error: unknown): Promise<number> {
  const { reportError } = await import('../report-error.ts');
  reportError(error, ctx, ctx.settings.verbose);
  const unknownName = CliError.isInstance(error) && error.code === 'unknown_name';
  const failure: BridgeError = unknownName
    ? {
        code: BRIDGE_ERROR.loginNeeded,
        message: cliMessage(error, ctx.target),
        data: {
          reason: 'unknown_name',
          command: loginLine({ name: target, store: ctx.settings.storeFlags }),
        },
      }
    : {
        code: BRIDGE_ERROR.startFailed,
        message: cliMessage(error, ctx.target),
        data: { reason: (error as { code?: unknown }).code ?? 'start_failed' },
      };
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await answerUntilClosed(failure, abort.signal);
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
  return exitCodeFor(error);
}

/** The JSON-RPC error for a failure: "log in" with the exact command, or what went wrong. */
function describeError(
  ctx: CommandContext,
  alias: CliAliasRecord,
  failure: unknown,
  why: {
    noLoginHere: string | undefined;
    stepUp: string | undefined;
    transport: ProxyOptions['transport'];
    refusedType: string | undefined;
  },
): BridgeError {
  const { noLoginHere, stepUp, transport } = why;
  // the server's final 401 to stored tokens: "log in again", with the command
  const error = withRefusedTokensHint(failure, alias, ctx.settings.storeFlags, why.refusedType);
  const pickUp = noLoginHere
    ? ` (This bridge cannot open a login itself: ${noLoginHere}.) The bridge uses the new tokens on the next request.`
    : '';
  if (stepUp && exitCodeFor(error) === EXIT.loginNeeded) {
    const command = loginLine(ctx.target ?? {}, `--scope ${stepUp}`);
    return {
      code: BRIDGE_ERROR.loginNeeded,
      message: `This request needs the scopes "${stepUp}" (those held and those the server asked for): log in with them, \`${command}\`.${pickUp}`,
      data: { reason: 'insufficient_scope', scope: stepUp, command },
    };
  }
  if (exitCodeFor(error) === EXIT.loginNeeded) {
    const hinted = withLoginHint(error, alias, ctx.settings.storeFlags);
    const message = hinted instanceof Error ? hinted.message : String(hinted);
    const command = message.match(/`(mcp-oauth login [^`]+)`/)?.[1];
    return {
      code: BRIDGE_ERROR.loginNeeded,
      message: `${message}${pickUp}`,
      data: { reason: 'login_needed', ...(command ? { command } : {}) },
    };
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  const status = httpStatusOf(error);
  // a server of the current transport only refuses the legacy one's GET
  const noLegacySse =
    transport === 'sse-only' && (status === 404 || status === 405)
      ? ' The server may not offer the legacy HTTP+SSE transport: leave --transport out (http-first) or use --transport http-only.'
      : status === 404
        ? ` No MCP server answers at this URL: check it (\`mcp-oauth inspect ${shellWord(alias.serverUrl)}\` shows what it serves).`
        : '';
  return {
    code: BRIDGE_ERROR.remoteFailed,
    message: `${alias.serverUrl}${status ? ` answered HTTP ${status}` : ''}: ${ended(withCause(cliMessage(error, ctx.target), error), noLegacySse)}${noLegacySse}`,
    data: {
      reason: typeof code === 'string' ? code : 'remote_failed',
      ...(status ? { status } : {}),
    },
  };
}

/** The requests that open a session: a host whose request fails closes the bridge. */
const OPENING = new Set(['initialize', 'server/discover']);

/** A message that says nothing by itself ("Unexpected failure.") gets its cause's. */
/** `text` ending with a full stop when a sentence (`next`) follows it. */
function ended(text: string, next: string): string {
  return next && !/[.!?]$/.test(text) ? `${text}.` : text;
}

function withCause(message: string, error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return message === 'Unexpected failure.' && cause instanceof Error
    ? `${message} (${cause.message})`
    : message;
}
