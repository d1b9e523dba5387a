import {
  type Interaction,
  McpOAuthError,
  type McpOAuthEvent,
  type TokenInfo,
} from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import { Command, Option } from 'commander';
import {
  assertValidName,
  type CliAliasRecord,
  defaultName,
  isUrl,
  listAliases,
  readAlias,
  type ServerSettings,
  writeAlias,
} from '../aliases.ts';
import { addAuthorizationServerOptions } from '../authorization-server-flags.ts';
import { collectFiles } from '../ca-files.ts';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT, usageError } from '../exit-codes.ts';
import { formatExpiry } from '../format.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { cliMessage } from '../option-flags.ts';
import { versioned } from '../output.ts';
import type { Progress } from '../progress.ts';
import { DEFAULT_LOGIN_TIMEOUT } from '../proxy/login-timeout.ts';
import { parseLoginTimeout } from '../proxy/parse-login-timeout.ts';
import { addQuirkOptions } from '../quirk-flags.ts';
import type { TokenInput } from '../read-token-input.ts';
import { runAction } from '../run-action.ts';
import { type LoginOptions, parsePositive, serverSettings } from './login-settings.ts';
import { rememberedServer } from './remembered-server.ts';

export function loginCommand(): Command {
  const command = new Command('login')
    .description(
      'Log in to an MCP server (browser, or device flow where no browser can be opened) and remember it under a name.',
    )
    .argument(
      '<url|name>',
      'the MCP server URL, e.g. https://mcp.example.com/mcp, or a name given at an earlier login (logs in again with its settings)',
    )
    .option(
      '-n, --name <name>',
      'the name to use in other commands (default: from the host, e.g. "notion")',
    )
    .option('-s, --scope <scopes...>', 'scopes to ask for (default: what the server advertises)')
    .option('--device', 'use the device flow: enter a code on another device')
    .option('--no-browser', 'do not open a browser: print the URL to open')
    .option('--client-id <id>', 'a client pre-registered with the authorization server')
    .option(
      '--client-secret <secret>',
      'its secret (better: MCP_OAUTH_CLIENT_SECRET, kept out of the process list)',
    )
    .option(
      '--client-metadata-url <url>',
      "an https URL serving this client's Client ID Metadata Document",
    )
    .addOption(
      new Option(
        '--dpop <mode>',
        'DPoP-bound tokens (RFC 9449): auto = where the MCP server and its authorization server both take them; always; off (default: auto)',
      ).choices(['auto', 'always', 'off']),
    )
    .option('--allow-http', 'allow plain http for a server that is not on a loopback address')
    .option(
      '--ca <file>',
      'extra CA certificate(s), PEM, trusted for the authorization and MCP servers (repeatable)',
      collectFiles,
    )
    .option(
      '--max-response-bytes <n>',
      'largest response accepted from the servers (default: 256 KiB for OAuth documents, 1 MiB otherwise)',
    )
    .option('--port <port>', 'fixed port for the loopback redirect (default: any free port)')
    .addOption(
      new Option(
        '--timeout <seconds>',
        'how long to wait for the browser (whole seconds, 1 to 86400)',
      ).default(DEFAULT_LOGIN_TIMEOUT, DEFAULT_LOGIN_TIMEOUT),
    )
    .option('--no-qr', 'no QR code for the device flow')
    .option(
      '--with-token',
      'no browser: store a token you already hold, read from standard input (the access token, or a JSON token response)',
    )
    .addOption(new Option('--json', 'print the result as JSON on stdout'));
  addQuirkOptions(command);
  addAuthorizationServerOptions(command);
  return command
    .addHelpText(
      'after',
      `
The redirect URI is http://127.0.0.1:<port>/callback. Without a display, over SSH or
on CI, the device flow is used when the server supports it; otherwise the URL to open
is printed. The name, scopes, client, --dpop, --allow-http, --ca, --max-response-bytes,
endpoint and quirk flags are kept for later commands; login <name> logs in again to that
name's server with them (flags given then replace the ones they set).
Where the server publishes no metadata, give its endpoints: --issuer with
--authorization-endpoint and --token-endpoint (and --registration-endpoint, ...);
--override-discovery uses them even where it does publish metadata.
With --dpop auto, tokens are DPoP-bound only where the MCP server says it takes DPoP
(resource metadata or challenge) and its authorization server offers it.

Examples:
  $ mcp-oauth login https://mcp.notion.com/mcp --name notion
  $ mcp-oauth login notion
  $ mcp-oauth login https://mcp.example.com/mcp --device
  $ mcp-oauth login https://mcp.example.com/mcp --scope mcp:read mcp:write
  $ MCP_OAUTH_CLIENT_SECRET=... mcp-oauth login https://mcp.corp.example/mcp --client-id cli --port 8765
  $ mcp-oauth login https://entra-backed.example/mcp --assume-pkce --omit-resource
  $ mcp-oauth login https://mcp.example.com/mcp --issuer https://login.example.com \
      --authorization-endpoint https://login.example.com/authorize \
      --token-endpoint https://login.example.com/token
  $ MCP_OAUTH_INITIAL_ACCESS_TOKEN=... mcp-oauth login https://mcp.corp.example/mcp
  $ printf '%s' "$MCP_TOKEN" | mcp-oauth login https://mcp.example.com/mcp --name ci --with-token
  $ mcp-oauth login https://mcp.example.com/mcp --with-token --client-id cli < token-response.json

--with-token reads an access token, or a JSON object { "access_token", "refresh_token",
"expires_in", "token_type": "Bearer", "scope" }, from standard input (never a terminal)
and stores it for the server without a browser; it is not echoed. A refresh token is used
only with the client it was issued to: give it with --client-id.`,
    )
    .action((urlOrName: string, options: LoginOptions, cmd: Command) =>
      runAction(cmd, (ctx) => login(ctx, urlOrName, options)),
    );
}

async function login(
  ctx: CommandContext,
  urlOrName: string,
  options: LoginOptions,
): Promise<number> {
  const port =
    options.port === undefined ? undefined : parsePositive(options.port, '--port', 65535);
  const timeoutMs = parseLoginTimeout(options.timeout);
  // `login <name>`: again to the server of a name given at an earlier login, with its settings
  const remembered = isUrl(urlOrName) ? undefined : await rememberedServer(ctx, urlOrName, options);
  const url = remembered?.serverUrl ?? urlOrName;
  let resource: string;
  try {
    resource = canonicalResource(url);
  } catch (error) {
    throw usageError(
      McpOAuthError.isInstance(error) ? error.message : `"${url}" is not a valid URL.`,
    );
  }
  const name = remembered?.name ?? assertValidName(options.name ?? defaultName(url));
  // --with-token: the input is checked before anything is read or written
  const tokenInput = options.withToken ? await readWithToken(options) : undefined;
  const store = await ctx.store();
  const existing = await readAlias(store, name);
  if (existing && canonicalResource(existing.serverUrl) !== resource) {
    throw usageError(
      `The name "${name}" is already used for ${existing.serverUrl}. Choose another with --name, or log out first: mcp-oauth logout ${name}`,
    );
  }
  const other = (await listAliases(store)).find(
    (a) => a.name !== name && canonicalResource(a.serverUrl) === resource,
  );
  if (other) {
    throw usageError(
      `${url} is already known as "${other.name}" (one set of tokens per server and store). Log in again with --name ${other.name}.`,
    );
  }
  const settings = serverSettings(options, ctx.settings.env, existing);
  ctx.target = { url, name, store: ctx.settings.storeFlags };
  if (tokenInput)
    return loginWithToken(ctx, { url, name, settings, existing, options, input: tokenInput });
  const { out } = ctx;
  const { createProgress } = await import('../progress.ts'); // the spinner: login only
  const progress = createProgress(out, { quiet: ctx.settings.quiet, ownInterrupt: true });
  const interaction = await chooseInteraction(ctx, url, settings, options, {
    port,
    timeoutMs,
    progress,
  });
  let narrowed: ScopeNarrowed | undefined;
  const client = await oauthClientFor(
    ctx,
    { serverUrl: url, name, settings },
    {
      interaction,
      progress: ['discovery', 'registered'],
      onEvent: (event) => {
        if (event.type === 'scope_narrowed') narrowed = event;
      },
    },
  );
  let info: Awaited<ReturnType<typeof client.authorize>>;
  // Ctrl-C while waiting for the person: said (in --json too), the login ended (its receiver
  // closed by the client's disposal), exit 130
  let onInterrupt = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    onInterrupt = () =>
      reject(
        new CliError(
          'interrupted',
          'Interrupted: the login was abandoned, and nothing was stored (tokens held before are as they were).',
          EXIT.interrupted,
        ),
      );
  });
  process.once('SIGINT', onInterrupt);
  try {
    info = await Promise.race([client.authorize(), interrupted]);
  } catch (error) {
    if (CliError.isInstance(error) && error.exitCode === EXIT.interrupted)
      await client[Symbol.asyncDispose]();
    progress.fail('Login failed.');
    throw withInitialAccessTokenHint(error, ctx);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  progress.succeed(`Logged in to ${url} as "${name}".`);
  if (narrowed) out.warn(describeNarrowing(narrowed));
  await writeAlias(store, aliasRecord(name, url, settings, existing));
  const flow = interaction.kind === 'device' ? 'device' : 'browser';
  reportLogin(ctx, options, {
    name,
    url,
    flow,
    info,
    scopesNotGranted: narrowed?.missing ?? [],
    store: store.description,
  });
  return 0;
}

function aliasRecord(
  name: string,
  url: string,
  settings: ServerSettings,
  existing: CliAliasRecord | undefined,
): CliAliasRecord {
  return {
    v: 1,
    kind: 'alias',
    name,
    serverUrl: url,
    createdAt: existing?.createdAt ?? Date.now(),
    settings,
  };
}

/** The login's result: JSON on stdout with --json, else a few lines on stderr. Never a token. */
function reportLogin(
  ctx: CommandContext,
  options: LoginOptions,
  result: {
    name: string;
    url: string;
    flow: 'browser' | 'device' | 'token';
    info: TokenInfo;
    scopesNotGranted: string[];
    store: string;
  },
): void {
  const { out } = ctx;
  const { name, info } = result;
  if (options.json) {
    out.json(
      versioned({
        name,
        serverUrl: result.url,
        flow: result.flow,
        ...info,
        expiresAt: info.expiresAt === undefined ? null : new Date(info.expiresAt).toISOString(),
        obtainedAt: new Date(info.obtainedAt).toISOString(),
        scopesNotGranted: result.scopesNotGranted,
        store: result.store,
      }),
    );
  } else {
    out.info(`  scope:   ${info.scope ?? '(none reported)'}`);
    out.info(`  expires: ${formatExpiry(info.expiresAt)}`);
    const flags = ctx.settings.storeFlags ? ` ${ctx.settings.storeFlags}` : '';
    if (ctx.settings.store === 'memory')
      out.warn(
        'The memory store keeps nothing after this command: keep the tokens with --store file or --store keychain.',
      );
    else out.info(`Use it: mcp-oauth token ${name}${flags}   |   mcp-oauth test ${name}${flags}`);
  }
}

/** `login --with-token`'s standard input, read and checked (the parser: loaded by it only). */
async function readWithToken(options: LoginOptions): Promise<TokenInput> {
  if (options.device) throw usageError('--with-token and --device exclude each other.');
  const { readTokenInput } = await import('../read-token-input.ts');
  return readTokenInput(process.stdin);
}

/** `login --with-token`: a token read from standard input, stored for the server; no browser. */
async function loginWithToken(
  ctx: CommandContext,
  args: {
    url: string;
    name: string;
    settings: ServerSettings;
    existing: CliAliasRecord | undefined;
    options: LoginOptions;
    input: TokenInput;
  },
): Promise<number> {
  const { url, name, settings, options, input } = args;
  const { importTokens } = await import('../import-tokens.ts');
  if (input.refreshToken && !settings.clientId)
    throw usageError(
      'The refresh token given to --with-token can only be used by the client it was issued to: name it with --client-id (its secret, if any, in MCP_OAUTH_CLIENT_SECRET), or pass the access token alone.',
    );
  const store = await ctx.store();
  const client = await oauthClientFor(
    ctx,
    { serverUrl: url, name, settings },
    { progress: ['discovery'] },
  );
  const info = await importTokens(store, client, input, settings.clientId);
  await writeAlias(store, aliasRecord(name, url, settings, args.existing));
  ctx.out.info(
    `Stored the token for ${url} as "${name}" (not checked yet: mcp-oauth test ${name}).`,
  );
  reportLogin(ctx, options, {
    name,
    url,
    flow: 'token',
    info,
    scopesNotGranted: [],
    store: store.description,
  });
  return 0;
}

type ScopeNarrowed = Extract<McpOAuthEvent, { type: 'scope_narrowed' }>;

/** The scopes asked for and not granted (the event carries scope names only). */
function describeNarrowing(event: ScopeNarrowed): string {
  return `The authorization server did not grant ${event.missing.join(', ')} (asked for "${event.requested.join(' ')}", granted "${event.granted.join(' ')}"). Commands that need ${event.missing.length === 1 ? 'it' : 'them'} will be refused.`;
}

/** Registration refused with 401 (RFC 7591 §3, RFC 6750): name the variable for the token. */
function withInitialAccessTokenHint(error: unknown, ctx: CommandContext): unknown {
  if (!McpOAuthError.is(error, 'registration_failed') || error.status !== 401) return error;
  const hint = ctx.settings.env.MCP_OAUTH_INITIAL_ACCESS_TOKEN
    ? 'Check MCP_OAUTH_INITIAL_ACCESS_TOKEN.'
    : 'Set it in MCP_OAUTH_INITIAL_ACCESS_TOKEN if the authorization server requires one.';
  // the message for the command line first (it names --client-id, not a library option)
  return new McpOAuthError(error.code, `${cliMessage(error, ctx.target)} ${hint}`, {
    cause: error.cause,
    status: error.status,
    ...(error.oauthError ? { oauthError: error.oauthError } : {}),
    ...(error.oauthErrorDescription ? { oauthErrorDescription: error.oauthErrorDescription } : {}),
  });
}

async function chooseInteraction(
  ctx: CommandContext,
  url: string,
  settings: ServerSettings,
  options: LoginOptions,
  args: {
    port: number | undefined;
    timeoutMs: number;
    progress: Progress;
  },
): Promise<Interaction> {
  const { out } = ctx;
  // the loopback receiver, the browser opener and the QR code: loaded by login only
  const [{ browserInteraction }, { browserAvailable }, { deviceInteraction }] = await Promise.all([
    import('../interactions/browser.ts'),
    import('../interactions/browser-available.ts'),
    import('../interactions/device.ts'),
  ]);
  const device = () => deviceInteraction(out, args.progress, { qr: options.qr });
  const browser = (open: boolean) =>
    browserInteraction(args.progress, {
      openBrowser: open,
      ...(args.port !== undefined ? { port: args.port } : {}),
      timeoutMs: args.timeoutMs,
      env: ctx.settings.env,
    });
  if (options.device) return device();
  if (options.browser === false) return browser(false);
  const here = browserAvailable(ctx.settings.env);
  if (here.available) return browser(true);
  // No browser here: the device flow if the server offers it, else the URL to open elsewhere.
  const probe = await oauthClientFor(ctx, { serverUrl: url, settings });
  const discovery = await probe.discover();
  if (discovery.authorizationServerMetadata.device_authorization_endpoint) {
    out.info(`No browser can be opened here (${here.reason}): using the device flow.`);
    return device();
  }
  return browser(false);
}
