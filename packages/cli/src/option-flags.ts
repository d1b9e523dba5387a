import { McpOAuthError, type ServerQuirks } from '@mcp-oauth/core';
import type { OptionNamedByErrors } from '@mcp-oauth/core/flow';
import type { LoopbackOptionNamedByErrors } from '@mcp-oauth/loopback';
import type { FileStoreOptionNamedByErrors } from '@mcp-oauth/store-file';
import type { FetchOptionNamedByErrors } from '@mcp-oauth/transport-fetch';
import { withSettingFlag } from './authorization-server-flags.ts';
import { quirkFlag } from './quirk-flags.ts';
import { shellWord } from './settings.ts';

/** An option of the libraries that an error may name in `details.option`. */
export type LibraryOption =
  | OptionNamedByErrors
  | FetchOptionNamedByErrors
  | FileStoreOptionNamedByErrors;

/** The server a failed command was about: its remedies show a command line for it. */
export interface RemedyTarget {
  name?: string | undefined;
  url?: string | undefined;
  /** The store flags the command ran with (`Settings.storeFlags`): commands told carry them. */
  store?: string | undefined;
}

interface CliWay {
  /** The flag that sets the option, as registered with commander (`--allow-http`). */
  flag: string;
  /** What to do, as a sentence for someone at the command line. */
  remedy(target: RemedyTarget): string;
  /** Other words by which messages name the option (besides `option` and "the option option"). */
  mentions?: readonly string[];
}

/** `mcp-oauth login <url> [--name <name>] [<store flags>] <flags>` for the target. */
export function loginLine(target: RemedyTarget, flags = ''): string {
  const url = target.url ? shellWord(target.url) : '<url>';
  const named = target.name && !/^https?:\/\//i.test(target.name) ? ` --name ${target.name}` : '';
  const store = target.store ? ` ${target.store}` : '';
  return `mcp-oauth login ${url}${named}${store}${flags ? ` ${flags}` : ''}`;
}

const quirk = (key: keyof ServerQuirks, when: string): CliWay => ({
  flag: quirkFlag(key),
  remedy: (t) => `${when}, log in with ${quirkFlag(key)}: ${loginLine(t, quirkFlag(key))}`,
});

const MAX_BYTES: CliWay = {
  flag: '--max-response-bytes',
  remedy: (t) =>
    `If it is legitimate, log in with a higher limit: ${loginLine(t, '--max-response-bytes <n>')}`,
};

const HTTP_TIMEOUT: CliWay = {
  flag: '--http-timeout',
  remedy: () => 'Retry later, or allow more time with --http-timeout <seconds> (default 30).',
};

/**
 * The one table: for every library option an error can name, the CLI flag that sets it and
 * the sentence that says so. Keyed by the libraries' own lists of such options, so the
 * compiler refuses an option without a flag.
 */
export const OPTION_FLAGS: Record<LibraryOption, CliWay> = {
  allowInsecureHttp: {
    flag: '--allow-http',
    remedy: (t) =>
      `To use plain http anyway (only on a network you trust), log in with --allow-http: ${loginLine(t, '--allow-http')}`,
  },
  ca: {
    flag: '--ca',
    remedy: (t) =>
      `If a private CA signed it, pass that CA certificate (PEM) at login: ${loginLine(t, '--ca <file>')}`,
  },
  namespace: {
    flag: '--namespace',
    remedy: () =>
      'A namespace is 1 to 128 letters, digits and . _ @ + - (not starting with a dot): give one with --namespace <name> (or MCP_OAUTH_NAMESPACE).',
  },
  directory: {
    flag: '--dir',
    remedy: () =>
      'Keep the store in a folder you can write with --dir <folder> (or MCP_OAUTH_DIR).',
  },
  // the file store's key: MCP_OAUTH_PASSPHRASE, or the key file when it is not set
  keySource: {
    flag: 'MCP_OAUTH_PASSPHRASE',
    remedy: () =>
      'Set MCP_OAUTH_PASSPHRASE to the passphrase the store was created with, or unset it for a store created with its key file (store.key in its folder); or keep new tokens in another folder with --dir <folder>.',
  },
  maxResponseBytes: MAX_BYTES,
  maxEventBytes: MAX_BYTES,
  // not limited by the CLI (no limit): listed for completeness
  maxEventStreamBytes: MAX_BYTES,
  connectTimeoutMs: HTTP_TIMEOUT,
  headersTimeoutMs: HTTP_TIMEOUT,
  bodyTimeoutMs: HTTP_TIMEOUT,
  // no limit in the CLI: listed for completeness
  eventStreamIdleTimeoutMs: HTTP_TIMEOUT,
  interaction: {
    flag: 'login',
    remedy: (t) => `Log in again with \`${loginLine(t)}\`.`,
  },
  scopes: {
    flag: '--scope',
    remedy: (t) => `Log in with the scopes the server needs: ${loginLine(t, '--scope <scope>...')}`,
  },
  'client.clientId': {
    flag: '--client-id',
    remedy: (t) =>
      `Register a client with the authorization server by hand, then log in with it (its secret in MCP_OAUTH_CLIENT_SECRET): ${loginLine(t, '--client-id <id>')}`,
  },
  'client.clientMetadataUrl': {
    flag: '--client-metadata-url',
    remedy: (t) =>
      `Check the document, or log in with another: ${loginLine(t, '--client-metadata-url <url>')}`,
  },
  'authorizationServer.issuer': {
    flag: '--issuer',
    remedy: (t) =>
      `Give the issuer the MCP server names, or leave --issuer out: ${loginLine(t, '--issuer <url>')}`,
  },
  dpop: {
    flag: '--dpop',
    remedy: (t) => `Log in with DPoP: ${loginLine(t, '--dpop auto')}`,
  },
  'dpop.mode': {
    flag: '--dpop',
    mentions: ['forcing DPoP'],
    remedy: (t) =>
      `Forcing DPoP (${loginLine(t, '--dpop always')}) helps only if it supports DPoP without advertising it.`,
  },
  'quirks.assumePkceS256': quirk(
    'assumePkceS256',
    'If it supports S256 all the same (Entra ID and Cognito do)',
  ),
  'quirks.omitResourceParameter': quirk(
    'omitResourceParameter',
    'If it rejects the resource parameter (Entra ID: AADSTS9010010)',
  ),
  'quirks.allowIssuerTrailingSlash': quirk(
    'allowIssuerTrailingSlash',
    'To accept an issuer that differs only by a trailing slash',
  ),
  'quirks.allowMissingTokenType': quirk(
    'allowMissingTokenType',
    'If the server omits token_type and issues Bearer tokens',
  ),
};

function isLibraryOption(value: unknown): value is LibraryOption {
  return typeof value === 'string' && Object.hasOwn(OPTION_FLAGS, value);
}

/**
 * loopback's `timeoutMs`, which its `interaction_timeout` names: the browser did not come back
 * in time (`login` and `proxy` take --timeout). Told apart by the code, since a store's lock
 * names an option `timeoutMs` too, which the CLI does not set.
 */
const LOGIN_TIMEOUT: CliWay = {
  flag: '--timeout',
  remedy: (t) =>
    `To allow more time, log in with --timeout <seconds>: ${loginLine(t, '--timeout <seconds>')}`,
};

/** The option an error names, with the CLI's way to set it; undefined when the CLI has none. */
function namedOption(error: McpOAuthError): { name: string; way: CliWay } | undefined {
  const option = error.details.option;
  const loginTimeout: LoopbackOptionNamedByErrors = 'timeoutMs';
  if (error.code === 'interaction_timeout' && option === loginTimeout)
    return { name: option, way: LOGIN_TIMEOUT };
  return isLibraryOption(option) ? { name: option, way: OPTION_FLAGS[option] } : undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where the message first names the option (-1: nowhere). */
function firstMention(message: string, option: string, way: CliWay): number {
  const names = new Set([option, option.split('.').pop() ?? option]);
  const patterns = [...names].flatMap((name) => [
    new RegExp(`\`${escapeRegExp(name)}\``),
    new RegExp(`\\b${escapeRegExp(name)} option\\b`),
  ]);
  for (const extra of way.mentions ?? []) patterns.push(new RegExp(escapeRegExp(extra)));
  const found = patterns.map((pattern) => message.search(pattern)).filter((index) => index >= 0);
  return found.length ? Math.min(...found) : -1;
}

/**
 * The part of a library message before the clause that names the option (the library puts
 * what to do last), ending with a full stop; the whole message when it names none.
 */
function withoutRemedy(message: string, option: string, way: CliWay): string {
  const at = firstMention(message, option, way);
  if (at < 0) return message;
  const before = message.slice(0, at);
  const cut = Math.max(lastFullStop(before), before.lastIndexOf(': '), before.lastIndexOf('; '));
  if (cut < 0) return '';
  return `${before.slice(0, cut).trimEnd()}.`;
}

/** Where the text's last sentence ends (a ". " that does not end "e.g." or "i.e."), or -1. */
function lastFullStop(text: string): number {
  let at = text.lastIndexOf('. ');
  while (at > 0 && /\b(e\.g|i\.e)$/.test(text.slice(0, at))) at = text.lastIndexOf('. ', at - 1);
  return at;
}

/**
 * An error's message for someone at the command line: where it names a library option
 * (`details.option`), the clause that does is replaced by the flag that sets it.
 */
export function cliMessage(error: unknown, target: RemedyTarget = {}): string {
  if (!McpOAuthError.isInstance(error))
    return error instanceof Error ? error.message : String(error);
  const named = namedOption(error);
  if (!named) return withSettingFlag(error.message, error.details.setting);
  if (named.name === 'interaction' && error.details.reason === 'invalid_grant')
    return `The refresh token was rejected; log in again with \`${loginLine(target)}\`.`;
  const problem = withSettingFlag(
    withoutRemedy(error.message, named.name, named.way),
    error.details.setting,
  );
  const remedy = named.way.remedy(target);
  return problem ? `${problem} ${remedy}` : remedy;
}

/**
 * The flag that changes the outcome of an error naming a library option (`--allow-http`), for
 * `--json` errors; undefined when it names none or the remedy is a command, not a flag.
 */
export function cliFlag(error: unknown): string | undefined {
  if (!McpOAuthError.isInstance(error)) return undefined;
  const flag = namedOption(error)?.way.flag;
  return flag?.startsWith('--') ? flag : undefined;
}
