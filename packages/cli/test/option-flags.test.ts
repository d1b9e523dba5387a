import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOAuthClient, McpOAuthError, memoryStore, type StoreRecord } from '@mcp-oauth/core';
import { clientCredentials } from '@mcp-oauth/core/client-credentials';
import { headlessInteraction, OPTIONS_NAMED_BY_ERRORS } from '@mcp-oauth/core/flow';
import { loopbackInteraction } from '@mcp-oauth/loopback';
import {
  completeAuthorization,
  repeatedBody,
  type Stack,
  type StaticServer,
  startMcpServer,
  startStack,
  startStaticServer,
} from '@mcp-oauth/testing';
import {
  createFetch,
  OPTIONS_NAMED_BY_ERRORS as FETCH_OPTIONS_NAMED_BY_ERRORS,
} from '@mcp-oauth/transport-fetch';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserInteraction } from '../src/interactions/browser.ts';
import {
  cliFlag,
  cliMessage,
  type LibraryOption,
  loginLine,
  OPTION_FLAGS,
} from '../src/option-flags.ts';
import { createProgram } from '../src/program.ts';
import type { Progress } from '../src/progress.ts';
import { MAX_LOGIN_TIMEOUT } from '../src/proxy/login-timeout.ts';
import { resolveSettings, shellWord } from '../src/settings.ts';
import { startSelfSignedServer } from './tls-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIBRARY_SOURCES = ['core/src', 'transport-fetch/src', 'loopback/src'].map((dir) =>
  join(ROOT, dir),
);

/** Every option a library error can name: the libraries' own lists. */
const NAMED: LibraryOption[] = [...OPTIONS_NAMED_BY_ERRORS, ...FETCH_OPTIONS_NAMED_BY_ERRORS];

/**
 * Options that only errors about their own value name (createFetch: proxy must be a URL, retry
 * attempts a whole number ≥ 1; a rate limit must be positive; a store lock's ttlMs and
 * timeoutMs must be sane; loopback's timeoutMs, named by its interaction_timeout, is told
 * apart by that code and has its own test below): whoever reads
 * such an error set the option; so does `client.privateKey` (a key given without privateKeyJwt
 * from @mcp-oauth/core/private-key-jwt), and `redirectUri` (beginAuthorization's, or what a
 * redirect interaction's prepare() returns; the CLI's is always loopback's own). The CLI sets
 * none of them, except these options of
 * loopbackInteraction, which loopback refuses by name (invalid_configuration) when the
 * interaction is made: the CLI's browser interaction sets `port` and `timeoutMs` only from
 * `login --port` and `--timeout`, which login checks itself first, naming the flag (a whole
 * number up to 65535; up to 86400 seconds, far below loopback's 2^31 - 1 ms; exit-codes.test.ts
 * "2: ..."), and `fallback` ('error'), `openBrowser`, `env`, `onOpenFailed` and
 * `onRejectedCallback` from its own code (a constant, a boolean, the process environment,
 * functions). It never sets the others (`path`, `hosts`, the pages, `signal`).
 */
const VALIDATED_ONLY = new Set([
  'proxy',
  'retry',
  'rateLimit.requestsPerSecond',
  'ttlMs',
  'timeoutMs',
  'client.privateKey',
  'redirectUri',
  // loopbackInteraction / startLoopbackReceiver
  'port',
  'fallback',
  'path',
  'hosts',
  'successPage',
  'failurePage',
  'openBrowser',
  'onOpenFailed',
  'signal',
  'onRejectedCallback',
  'env',
]);

/** Every long flag and command name of the real program, read from commander. */
function registered(program: Command): Set<string> {
  const found = new Set<string>();
  const walk = (command: Command) => {
    found.add(command.name());
    for (const option of command.options) if (option.long) found.add(option.long);
    for (const sub of command.commands) walk(sub);
  };
  walk(program);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The library's words for an option, which no CLI message may keep. */
function libraryWords(option: LibraryOption): RegExp {
  const last = option.split('.').pop() ?? option;
  return new RegExp(`\`(${option}|${last})\`|\\b(${option}|${last}) option\\b`);
}

/** The error `run` fails with. */
async function failure(run: () => Promise<unknown>): Promise<McpOAuthError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!McpOAuthError.isInstance(error)) throw new Error(`expected an McpOAuthError, got ${error}`);
  return error;
}

const target = { name: 'demo', url: 'https://mcp.example.test/mcp' };

/** What the CLI prints for `error`: it names `flag`, and not the library's option. */
function expectCliText(error: McpOAuthError, option: LibraryOption): string {
  expect(error.details.option).toBe(option);
  const text = cliMessage(error, target);
  const { flag } = OPTION_FLAGS[option];
  expect(text).toContain(flag);
  expect(text).not.toMatch(libraryWords(option));
  return text;
}

describe('the login command a message tells', () => {
  it('carries the store flags, each word as the shell reads it back', () => {
    const settings = resolveSettings(
      { store: 'file', dir: "/tmp/it's here", namespace: 'team a' },
      {},
    );
    expect(settings.storeArgs).toEqual([
      '--store',
      'file',
      '--dir',
      "/tmp/it's here",
      '--namespace',
      'team a',
    ]);
    const line = loginLine(
      { url: 'https://mcp.example.com/mcp?a=1&b=2', name: 'demo', store: settings.storeFlags },
      '--allow-http',
    );
    expect(line).toBe(
      "mcp-oauth login 'https://mcp.example.com/mcp?a=1&b=2' --name demo --store file --dir '/tmp/it'\\''s here' --namespace 'team a' --allow-http",
    );
    // the defaults add nothing; an environment's settings count as flags
    expect(resolveSettings({}, {}).storeFlags).toBe('');
    expect(resolveSettings({}, { MCP_OAUTH_NAMESPACE: 'ci' }).storeFlags).toBe('--namespace ci');
  });

  it('quotes for the platform: single quotes on POSIX shells, double quotes on Windows', () => {
    expect(shellWord('/home/me/tokens', 'linux')).toBe('/home/me/tokens');
    expect(shellWord('C:\\Users\\me\\tokens', 'win32')).toBe('C:\\Users\\me\\tokens');
    expect(shellWord('C:\\Users\\Jane Doe', 'win32')).toBe('"C:\\Users\\Jane Doe"');
    expect(shellWord('C:\\Users\\Jane Doe', 'darwin')).toBe("'C:\\Users\\Jane Doe'");
  });
});

describe('every library option an error names has a CLI flag', () => {
  const flags = registered(createProgram());

  it.each(NAMED)('%s maps to a flag the program registers', (option) => {
    const way = OPTION_FLAGS[option];
    expect(way, `no CLI flag for ${option}`).toBeDefined();
    expect(flags, `${way.flag} is not a flag of mcp-oauth`).toContain(way.flag);
    expect(way.remedy(target)).toContain(way.flag);
  });

  it('has a flag for every quirk (generated from QUIRK_NAMES)', () => {
    for (const option of NAMED.filter((o) => o.startsWith('quirks.')))
      expect(flags).toContain(OPTION_FLAGS[option].flag);
  });

  it('the libraries name no option that is not on their lists', () => {
    const listed = new Set<string>(NAMED);
    const unlisted: string[] = [];
    for (const file of LIBRARY_SOURCES.flatMap(sourceFiles)) {
      // code only: doc comments may name any option
      const text = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line))
        .join('\n');
      // details.option values, and the options messages name in backticks ('`x`', "\`x\`")
      const values = [
        ...text.matchAll(/\boption:\s*'([\w.]+)'/g),
        ...text.matchAll(/'([\w.]+)' satisfies (?:Fetch)?OptionNamedByErrors/g),
        ...text.matchAll(/\\?`([a-z][A-Za-z]*(?:\.[a-z][A-Za-z0-9]*)*)\\?` option\b/g),
        ...text.matchAll(/\bthe ([a-z][A-Za-z]*(?:\.[a-z][A-Za-z0-9]*)*) option\b/g),
      ].map((m) => m[1] as string);
      for (const value of values)
        if (!listed.has(value) && !VALIDATED_ONLY.has(value))
          unlisted.push(`${file.slice(ROOT.length)}: ${value}`);
    }
    expect(unlisted).toEqual([]);
  });

  it('loopback takes the largest --port and --timeout login lets through', () => {
    const progress: Progress = { start() {}, note() {}, succeed() {}, fail() {}, stop() {} };
    const options = { openBrowser: false, env: process.env };
    for (const [port, timeoutMs] of [
      [65_535, MAX_LOGIN_TIMEOUT * 1000],
      [1, 1000],
    ] as const)
      expect(() => browserInteraction(progress, { ...options, port, timeoutMs })).not.toThrow();
  });

  it('never sets the options that only validation errors name', () => {
    const transports = readFileSync(join(ROOT, 'cli/src/transports.ts'), 'utf8');
    for (const option of VALIDATED_ONLY)
      expect(transports).not.toMatch(new RegExp(`\\b${option}\\b`));
  });

  it.each(NAMED)('%s: a message in the libraries’ form becomes a CLI message', (option) => {
    const error = new McpOAuthError(
      'invalid_configuration',
      `Something went wrong at https://x.example/y. To go on, set the \`${option}\` option.`,
      { details: { option } },
    );
    const text = expectCliText(error, option);
    expect(text).toMatch(/^Something went wrong at https:\/\/x\.example\/y\. /);
  });
});

describe('real library errors, as the CLI tells them', () => {
  let stack: Stack;
  let stat: StaticServer;
  let hanging: Server;
  const big = repeatedBody(2 * 1024 * 1024);

  beforeAll(async () => {
    stack = await startStack();
    stat = await startStaticServer({
      routes: (origin) => ({
        '/.well-known/oauth-protected-resource/big': { body: big },
        '/big': {
          status: 401,
          headers: {
            'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/big"`,
          },
        },
        '/bytes': { headers: { 'content-type': 'text/plain' }, body: big },
        // a resource whose authorization server publishes no code_challenge_methods_supported
        '/.well-known/oauth-protected-resource/nopkce': {
          body: { resource: `${origin}/nopkce`, authorization_servers: [`${origin}/as-nopkce`] },
        },
        '/.well-known/oauth-authorization-server/as-nopkce': {
          body: {
            issuer: `${origin}/as-nopkce`,
            authorization_endpoint: `${origin}/authorize`,
            token_endpoint: `${origin}/token`,
          },
        },
        // ... whose issuer has a trailing slash more than its URL
        '/.well-known/oauth-protected-resource/slash': {
          body: { resource: `${origin}/slash`, authorization_servers: [`${origin}/as-slash`] },
        },
        '/.well-known/oauth-authorization-server/as-slash': {
          body: {
            issuer: `${origin}/as-slash/`,
            authorization_endpoint: `${origin}/authorize`,
            token_endpoint: `${origin}/token`,
            code_challenge_methods_supported: ['S256'],
          },
        },
        // ... that offers neither registration nor client ID metadata documents
        '/.well-known/oauth-protected-resource/noreg': {
          body: { resource: `${origin}/noreg`, authorization_servers: [`${origin}/as-noreg`] },
        },
        '/.well-known/oauth-authorization-server/as-noreg': {
          body: {
            issuer: `${origin}/as-noreg`,
            authorization_endpoint: `${origin}/authorize`,
            token_endpoint: `${origin}/token-notype`,
            code_challenge_methods_supported: ['S256'],
          },
        },
        // a token endpoint that omits token_type
        'POST /token-notype': { body: { access_token: 'at-without-type', expires_in: 60 } },
        // another resource, of another authorization server
        '/.well-known/oauth-protected-resource/bound': {
          body: { resource: `${origin}/bound`, authorization_servers: [`${origin}/as-bound`] },
        },
        '/.well-known/oauth-authorization-server/as-bound': {
          body: {
            issuer: `${origin}/as-bound`,
            authorization_endpoint: `${origin}/authorize`,
            token_endpoint: `${origin}/token`,
            code_challenge_methods_supported: ['S256'],
          },
        },
      }),
    });
    hanging = createHttpServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await stack?.close();
    await stat?.close();
    hanging?.closeAllConnections();
    await new Promise((resolve) => hanging?.close(resolve));
  });

  const client = (path: string, extra: Record<string, unknown> = {}) =>
    createOAuthClient({ serverUrl: `${stat.url}${path}`, store: memoryStore(), ...extra });

  it('allowInsecureHttp: an http server off loopback', async () => {
    const error = await failure(() =>
      createOAuthClient({ serverUrl: 'http://mcp.example.test/mcp' }).authorize(),
    );
    expect(error.code).toBe('insecure_url');
    const text = expectCliText(error, 'allowInsecureHttp');
    expect(text).toMatch(/^The MCP server \(http:\/\/mcp\.example\.test\) is not https\. /);
  });

  it('maxResponseBytes (core): a resource metadata document over the limit', async () => {
    const error = await failure(() =>
      client('/big', {
        interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/cb' }),
      }).authorize(),
    );
    expect(error.code).toBe('response_too_large');
    expectCliText(error, 'maxResponseBytes');
  });

  it('maxResponseBytes (transport-fetch): a body over the limit', async () => {
    const fetch = createFetch({ maxResponseBytes: 1000, retry: false });
    const error = await failure(async () => (await fetch(`${stat.url}/bytes`)).text());
    expect(error.code).toBe('response_too_large');
    expectCliText(error, 'maxResponseBytes');
  });

  it('headersTimeoutMs: a server that never answers', async () => {
    const address = hanging.address() as { port: number };
    const fetch = createFetch({ headersTimeoutMs: 200, retry: false });
    const error = await failure(() => fetch(`http://127.0.0.1:${address.port}/`));
    expect(error.code).toBe('timeout');
    expectCliText(error, 'headersTimeoutMs');
  });

  it('ca: an https server with a certificate no public CA signed', async () => {
    const server = await startSelfSignedServer((_req, res) => res.end('ok'));
    try {
      const error = await failure(() => createFetch({ retry: false })(`${server.url}/`));
      expect(error.code).toBe('network_error');
      expectCliText(error, 'ca');
      // and the option the flag sets is the one that helps
      const trusted = await createFetch({ ca: server.cert, retry: false })(`${server.url}/`);
      expect(await trusted.text()).toBe('ok');
    } finally {
      await server.close();
    }
  });

  it('quirks.assumePkceS256: no code_challenge_methods_supported', async () => {
    const error = await failure(() => client('/nopkce').discover());
    expect(error.code).toBe('pkce_unsupported');
    const text = expectCliText(error, 'quirks.assumePkceS256');
    expect(text).toContain('so MCP forbids it.');
  });

  it('quirks.allowIssuerTrailingSlash: an issuer with a trailing slash more', async () => {
    const error = await failure(() => client('/slash').discover());
    expect(error.code).toBe('issuer_mismatch');
    expectCliText(error, 'quirks.allowIssuerTrailingSlash');
  });

  it('quirks.allowMissingTokenType: a token response without token_type', async () => {
    const error = await failure(() =>
      client('/noreg', {
        client: { clientId: 'cc', clientSecret: 'secret' },
        interaction: clientCredentials(),
      }).authorize(),
    );
    expect(error.code).toBe('invalid_response');
    expectCliText(error, 'quirks.allowMissingTokenType');
  });

  it('client.clientId: no registration and no client id', async () => {
    const error = await failure(() =>
      client('/noreg', {
        interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/cb' }),
      }).authorize(),
    );
    expect(error.code).toBe('registration_unsupported');
    expectCliText(error, 'client.clientId');
  });

  it('client.clientId: a pre-registered client bound to another authorization server', async () => {
    const store = memoryStore();
    const options = {
      store,
      client: { clientId: 'pre' },
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/cb' }),
    };
    // the first use binds the client id to its issuer (the login itself fails later: no consent here)
    await createOAuthClient({ serverUrl: `${stat.url}/noreg`, ...options })
      .authorize()
      .catch(() => {});
    const error = await failure(() =>
      createOAuthClient({ serverUrl: `${stat.url}/bound`, ...options }).authorize(),
    );
    expect(error.code).toBe('invalid_configuration');
    const text = expectCliText(error, 'client.clientId');
    expect(text).not.toMatch(/client\.issuer/);
    expect(text).toMatch(
      /^The client pre is bound to \S+\/as-noreg, not \S+\/as-bound which now protects this server\. /,
    );
  });

  it('scopes: an MCP server that names no scope, whose authorization server refuses a request without one', async () => {
    const noScopes = await startMcpServer({ authServer: stack.as, scopesSupported: null });
    try {
      const error = await failure(() =>
        createOAuthClient({
          serverUrl: noScopes.url,
          store: memoryStore(),
          interaction: {
            kind: 'redirect',
            prepare: async () => ({ redirectUri: 'http://127.0.0.1:9/cb' }),
            authorize: ({ authorizationUrl }) => completeAuthorization(authorizationUrl),
          },
        }).authorize(),
      );
      expect(error.code).toBe('authorization_denied');
      const text = expectCliText(error, 'scopes');
      expect(text).toMatch(
        /No scope was asked for .*which some authorization servers refuse\. Log in with the scopes the server needs: mcp-oauth login \S+ --name demo --scope <scope>\.\.\.$/,
      );
    } finally {
      await noScopes.close();
    }
  });

  it('timeoutMs (loopback): the browser did not come back in time', async () => {
    const interaction = loopbackInteraction({
      openBrowser: false,
      onOpenFailed: () => {},
      timeoutMs: 50,
    });
    const error = await failure(() =>
      createOAuthClient({
        serverUrl: stack.mcp.url,
        store: memoryStore(),
        interaction,
      }).authorize(),
    );
    expect(error.code).toBe('interaction_timeout');
    expect(error.details.option).toBe('timeoutMs');
    const text = cliMessage(error, target);
    expect(cliFlag(error)).toBe('--timeout');
    expect(text).not.toContain('timeoutMs');
    expect(text).toMatch(
      /^No authorization response reached http:\/\/127\.0\.0\.1:\d+\/callback within 50 ms\. Start the sign-in again and complete it in the browser tab it opens\. To allow more time, log in with --timeout <seconds>: mcp-oauth login https:\/\/mcp\.example\.test\/mcp --name demo --timeout <seconds>$/,
    );
  });

  it('timeoutMs of a store lock is not the CLI --timeout (only loopback’s interaction_timeout is)', () => {
    const error = new McpOAuthError(
      'store_lock_timeout',
      'Waited 60000 ms for the lock on "k" in Redis; another process holds it.',
      { details: { option: 'timeoutMs' } },
    );
    expect(cliFlag(error)).toBeUndefined();
    expect(cliMessage(error, target)).not.toContain('--timeout');
  });

  it('interaction: authorization needed, none configured', async () => {
    const error = await failure(() =>
      createOAuthClient({ serverUrl: stack.mcp.url, store: memoryStore() }).getAccessToken(),
    );
    expect(error.code).toBe('interaction_required');
    // the library's remedy (with its "e.g." inside) is cut whole, not at the abbreviation
    expect(expectCliText(error, 'interaction')).toBe(
      'Authorization is needed and no interaction is configured. Log in again with `mcp-oauth login https://mcp.example.test/mcp --name demo`.',
    );
  });

  it('interaction: the refresh token was rejected (the CLI says so, and how to log in)', async () => {
    const store = memoryStore();
    await createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/cb' }),
    }).authorize();
    const [key] = await store.list('tokens:');
    const record = (await store.get(key as string)) as StoreRecord;
    // due for a refresh, with a refresh token the server does not know
    await store.set(key as string, {
      ...record,
      expiresAt: Date.now() - 1000,
      refreshToken: 'unknown',
    });
    const error = await failure(() =>
      createOAuthClient({ serverUrl: stack.mcp.url, store }).getAccessToken(),
    );
    expect(error.code).toBe('interaction_required');
    expect(error.details.reason).toBe('invalid_grant');
    expect(cliMessage(error, target)).toBe(
      'The refresh token was rejected; log in again with `mcp-oauth login https://mcp.example.test/mcp --name demo`.',
    );
  });
});
