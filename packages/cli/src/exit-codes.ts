import { McpOAuthError } from '@mcp-oauth/core/store';

/** The documented exit codes (README, `--help`). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  loginNeeded: 3,
  nonConforming: 4,
  store: 5,
  network: 6,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * What each exit code means: the one table that `--help` and the README's table show
 * (a test checks the README against it). Markdown: `--help` drops the backticks.
 */
export const EXIT_CODE_MEANINGS: readonly { code: ExitCode; meaning: string }[] = [
  { code: EXIT.ok, meaning: 'success (also `logout` when revocation failed: see the warning)' },
  {
    code: EXIT.failure,
    meaning: 'failure (the server refused, the flow failed, a migration conflict)',
  },
  {
    code: EXIT.usage,
    meaning:
      'usage error (unknown option, bad argument, missing `--yes`, a store setting missing: `MCP_OAUTH_REDIS_URL`, `MCP_OAUTH_REDIS_KEY`)',
  },
  {
    code: EXIT.loginNeeded,
    meaning:
      'login needed: unknown name, no tokens, or the refresh token was rejected (`status`: a server needs a login)',
  },
  {
    code: EXIT.nonConforming,
    meaning:
      'the server does not conform (`inspect` verdict `broken`; discovery failures at login; plain `http` without `--allow-http`; a response larger than `--max-response-bytes`)',
  },
  {
    code: EXIT.store,
    meaning:
      'store error (unreadable, wrong passphrase or key, locked keychain, unavailable; `--store redis`: Redis unreachable or refusing, or `@mcp-oauth/store-redis` not installed)',
  },
  {
    code: EXIT.network,
    meaning:
      'network error or timeout (also: no browser callback within `login --timeout`; `status`: a server is unreachable)',
  },
  { code: EXIT.interrupted, meaning: 'interrupted' },
];

/** Words wrapped to `width` columns, continuation lines indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

/** The exit codes as `--help` shows them. */
export const EXIT_CODES_HELP = `Exit codes:\n${EXIT_CODE_MEANINGS.map(
  ({ code, meaning }) =>
    `  ${String(code).padEnd(5)}${wrap(meaning.replaceAll('`', ''), 80, ' '.repeat(7))}`,
).join('\n')}`;

const CONFORMANCE = new Set<string>([
  'invalid_response',
  'resource_metadata_invalid',
  'resource_mismatch',
  'authorization_server_metadata_invalid',
  'authorization_server_not_found',
  'issuer_mismatch',
  'pkce_unsupported',
  'insecure_url',
  'response_too_large',
]);

/** Maps a failure to its exit code. */
export function exitCodeFor(error: unknown): ExitCode {
  if (CliError.isInstance(error)) return error.exitCode;
  if (!McpOAuthError.isInstance(error)) return EXIT.failure;
  const code: string = error.code;
  if (
    code === 'reauthorization_required' ||
    code === 'interaction_required' ||
    code === 'grant_rejected'
  )
    return EXIT.loginNeeded;
  if (code.startsWith('store_')) return EXIT.store;
  if (code === 'network_error' || code === 'timeout' || code === 'interaction_timeout')
    return EXIT.network;
  if (CONFORMANCE.has(code)) return EXIT.nonConforming;
  if (code === 'invalid_configuration') return EXIT.usage;
  return EXIT.failure;
}

const BRAND = Symbol.for('@mcp-oauth/cli.error');

/** A failure of the command line itself, with the exit code it ends with. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;
  /** The brand `isInstance` checks (`Symbol.for`: it holds across the bin's CommonJS bundle and the ESM build). */
  declare readonly [BRAND]: true;

  constructor(code: string, message: string, exitCode: ExitCode = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
    this[BRAND] = true;
  }

  /**
   * True when `value` is a `CliError` from this module or from its other copy: the quick
   * commands run from a CommonJS bundle (dist/quick.cjs) that reaches the ESM build for the
   * rest, so an error may cross between them (unlike `instanceof`).
   */
  static isInstance(value: unknown): value is CliError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
    );
  }
}

export const usageError = (message: string) => new CliError('usage', message, EXIT.usage);
