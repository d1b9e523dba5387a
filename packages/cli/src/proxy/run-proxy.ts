import { join } from 'node:path';
import type { Interaction, McpOAuthEvent } from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import {
  type CliAliasRecord,
  defaultName,
  isUrl,
  listAliases,
  readAlias,
  resolveServer,
  type ServerSettings,
  writeAlias,
} from '../aliases.ts';
import type { BridgeError } from '../bridge/bridge.ts';
import { BRIDGE_ERROR } from '../bridge/messages.ts';
import { httpStatusOf } from '../bridge/remote-transport.ts';
import { runBridge } from '../bridge/run-bridge.ts';
import type { ProxyOptions } from '../commands/proxy.ts';
import type { CommandContext } from '../context.ts';
import { describeEvent } from '../describe-event.ts';
import { CliError, EXIT, exitCodeFor, usageError } from '../exit-codes.ts';
import { browserAvailable } from '../interactions/browser-available.ts';
import { withLoginHint } from '../login-needed.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { cliMessage, loginLine } from '../option-flags.ts';
import { createProgress } from '../progress.ts';
import { defaultFileDirectory } from '../stores/file-directory.ts';
import { answerUntilClosed } from './answer-until-closed.ts';
import { parseHeaders } from './headers.ts';
import { interactionOutput } from './interaction-output.ts';
import { createProxyLog, type ProxyLog } from './logger.ts';
import { environmentTheHostNeeds, hostConfig } from './print-config.ts';

/** `mcp-oauth proxy`: the stdio bridge, logged in with the store's tokens (or on first use). */
export async function runProxy(
  ctx: CommandContext,
  target: string,
  options: ProxyOptions,
): Promise<number> {
  const env = ctx.settings.env;
  if (options.printConfig) {
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
  const timeoutMs = seconds(options.timeout);
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
  /** The scope a 403 asked for on the request that just failed (core's step-up event). */
  let stepUp: string | undefined;
  const onEvent = (event: McpOAuthEvent) => {
    if (event.type === 'step_up') stepUp = event.scope;
    const line = describeEvent(event);
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
  const login = lockedLogin(ctx, alias, server, { timeoutMs, log, onEvent });

  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
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
      recover: async (error) => {
        if (exitCodeFor(error) !== EXIT.loginNeeded) return false;
        await renewed();
        if (!login.possible()) return false;
        const scope = stepUp;
        stepUp = undefined;
        await login.run(scope?.split(' '));
        await renewed();
        return true;
      },
      describeError: (error) => {
        const described = describeError(
          ctx,
          alias,
          error,
          login.impossibleReason(),
          stepUp,
          options.transport,
        );
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
  error: unknown,
  noLoginHere: string | undefined,
  stepUp: string | undefined,
  transport: ProxyOptions['transport'],
): BridgeError {
  const pickUp = noLoginHere
    ? ` (This bridge cannot open a login itself: ${noLoginHere}.) The bridge uses the new tokens on the next request.`
    : '';
  if (stepUp && exitCodeFor(error) === EXIT.loginNeeded) {
    const command = loginLine(ctx.target ?? {}, `--scope ${stepUp}`);
    return {
      code: BRIDGE_ERROR.loginNeeded,
      message: `The server asks for the scope "${stepUp}" for this request: log in with it, \`${command}\`.${pickUp}`,
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
      : '';
  return {
    code: BRIDGE_ERROR.remoteFailed,
    message: `${alias.serverUrl}${status ? ` answered HTTP ${status}` : ''}: ${withCause(cliMessage(error, ctx.target), error)}${noLegacySse}`,
    data: {
      reason: typeof code === 'string' ? code : 'remote_failed',
      ...(status ? { status } : {}),
    },
  };
}

/** A message that says nothing by itself ("Unexpected failure.") gets its cause's. */
function withCause(message: string, error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return message === 'Unexpected failure.' && cause instanceof Error
    ? `${message} (${cause.message})`
    : message;
}

interface LockedLogin {
  /** Whether a person can be asked here (a browser, or a terminal for the device flow). */
  possible(): boolean;
  impossibleReason(): string | undefined;
  /**
   * Logs in (with these scopes, for a step-up) unless another process did while this one
   * waited for the lock.
   */
  run(scopes?: string[]): Promise<void>;
}

/**
 * One login across every bridge (and process) sharing the store: under the store's lock for
 * this server, the tokens are read again first, because another holder may have logged in.
 */
function lockedLogin(
  ctx: CommandContext,
  alias: CliAliasRecord,
  server: { serverUrl: string; name: string; settings: ServerSettings },
  options: {
    timeoutMs: number;
    log: ProxyLog;
    onEvent: (event: McpOAuthEvent) => void;
  },
): LockedLogin {
  const env = ctx.settings.env;
  const browser = browserAvailable(env);
  const terminal = process.stderr.isTTY === true;
  const impossible = browser.available || terminal ? undefined : `${browser.reason}, no terminal`;
  let running: Promise<void> | undefined;

  const interaction = async (): Promise<Interaction> => {
    // loaded only when a login is needed: a bridge with stored tokens starts without them
    const [{ browserInteraction }, { deviceInteraction }] = await Promise.all([
      import('../interactions/browser.ts'),
      import('../interactions/device.ts'),
    ]);
    const out = interactionOutput(ctx.out, options.log);
    const progress = createProgress(out, { quiet: false });
    const viaBrowser = (open: boolean) =>
      browserInteraction(progress, { openBrowser: open, timeoutMs: options.timeoutMs, env });
    if (browser.available) return viaBrowser(true);
    const probe = await oauthClientFor(ctx, server);
    const discovery = await probe.discover();
    return discovery.authorizationServerMetadata.device_authorization_endpoint
      ? deviceInteraction(out, progress, { qr: true })
      : viaBrowser(false);
  };

  const loginNow = async (scopes: string[] | undefined): Promise<void> => {
    const store = await ctx.store();
    const key = `proxy-login:${canonicalResource(server.serverUrl)}`;
    const lock = await store.lock(key, {
      ttlMs: options.timeoutMs + 60_000,
      timeoutMs: options.timeoutMs + 60_000,
    });
    try {
      const probe = await oauthClientFor(ctx, server);
      const held = await probe.status();
      const granted = held?.scope?.split(' ') ?? [];
      if (held && (!scopes || scopes.every((scope) => granted.includes(scope)))) {
        options.log('info', 'using the tokens another process just obtained');
        return;
      }
      options.log(
        'info',
        `logging in to ${server.serverUrl}${scopes ? ` for the scope "${scopes.join(' ')}"` : ''}`,
      );
      const client = await oauthClientFor(ctx, server, {
        interaction: await interaction(),
        onEvent: options.onEvent,
      });
      await client.authorize(scopes ? { scopes } : {});
      options.log('info', 'logged in');
      await rememberName(ctx, alias, server.settings);
    } finally {
      await lock.release();
    }
  };

  return {
    possible: () => impossible === undefined,
    impossibleReason: () => impossible,
    run(scopes) {
      running ??= loginNow(scopes).finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

/** A server first reached by URL gets the name `login` would give it, if that name is free. */
async function rememberName(
  ctx: CommandContext,
  alias: CliAliasRecord,
  settings: ServerSettings,
): Promise<void> {
  const store = await ctx.store();
  if (!isUrl(alias.name)) {
    if (settings.allowHttp && !alias.settings?.allowHttp)
      await writeAlias(store, { ...alias, settings: { ...alias.settings, allowHttp: true } });
    return;
  }
  const name = defaultName(alias.serverUrl);
  const resource = canonicalResource(alias.serverUrl);
  if (await readAlias(store, name)) return;
  if ((await listAliases(store)).some((a) => canonicalResource(a.serverUrl) === resource)) return;
  await writeAlias(store, {
    v: 1,
    kind: 'alias',
    name,
    serverUrl: alias.serverUrl,
    createdAt: Date.now(),
    settings,
  });
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 86_400)
    throw usageError(
      `--timeout must be a whole number of seconds from 1 to 86400 (got "${value}").`,
    );
  return n * 1000;
}
