import { McpOAuthError } from '@mcp-oauth/core';

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

export const EXIT_CODES_HELP = `Exit codes:
  0    success (logout also when revocation failed: see the warning)
  1    failure (the server refused, the flow failed, ...)
  2    usage error (bad option or argument)
  3    login needed: unknown name, no tokens, or the refresh token was rejected
  4    the server does not conform (inspect verdict "broken"; discovery failures;
       a response larger than --max-response-bytes)
  5    store error (unreadable, wrong passphrase, locked, unavailable)
  6    network error or timeout (also no browser callback within login --timeout)
  130  interrupted`;

const CONFORMANCE = new Set<string>([
  'invalid_response',
  'resource_metadata_invalid',
  'resource_mismatch',
  'authorization_server_metadata_invalid',
  'authorization_server_not_found',
  'issuer_mismatch',
  'pkce_unsupported',
  'iss_mismatch',
  'insecure_url',
  'response_too_large',
]);

/** Maps a failure to its exit code. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (!McpOAuthError.isInstance(error)) return EXIT.failure;
  const code: string = error.code;
  if (
    code === 'reauthorization_required' ||
    code === 'interaction_required' ||
    code === 'invalid_grant'
  )
    return EXIT.loginNeeded;
  if (code.startsWith('store_')) return EXIT.store;
  if (code === 'network_error' || code === 'timeout' || code === 'interaction_timeout')
    return EXIT.network;
  if (CONFORMANCE.has(code)) return EXIT.nonConforming;
  if (code === 'invalid_configuration') return EXIT.usage;
  return EXIT.failure;
}

/** A failure of the command line itself, with the exit code it ends with. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;

  constructor(code: string, message: string, exitCode: ExitCode = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string) => new CliError('usage', message, EXIT.usage);
