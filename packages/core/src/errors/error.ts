import type { McpOAuthErrorCode } from './codes.ts';

const BRAND = Symbol.for('@mcp-oauth/core.error');

/**
 * Options of the {@link McpOAuthError} constructor: the cause, the server's OAuth error, and
 * non-secret context.
 *
 * @example
 * ```ts
 * import { McpOAuthError, type McpOAuthErrorOptions } from '@mcp-oauth/core';
 *
 * const options: McpOAuthErrorOptions = { status: 503, details: { key: 'tokens:https://as.example.com https://mcp.example.com/mcp' } };
 * throw new McpOAuthError('store_unavailable', 'The token store is unreachable; check that the store server runs.', options);
 * ```
 */
export interface McpOAuthErrorOptions {
  /** The underlying failure. Always set; defaults to undefined only when there is none. */
  cause?: unknown;
  /** The server's OAuth `error` value (RFC 6749 §5.2), kept apart from our `code`. */
  oauthError?: string;
  /** The server's `error_description`. */
  oauthErrorDescription?: string;
  /** The HTTP status of the response that caused the failure, when there was one. */
  status?: number;
  /** Non-secret context: URLs, store keys, issuer, attempt counts. Never tokens. */
  details?: Readonly<Record<string, string | number | boolean | undefined>>;
}

/**
 * The one error class of the library family. `code` is stable and typed;
 * `message` says what happened and what to do next. It never contains a secret.
 * `McpOAuthError.isInstance(e)` works across duplicate installs of the package.
 *
 * @example
 * ```ts
 * import { createOAuthClient, McpOAuthError } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * try {
 *   await oauth.getAccessToken();
 * } catch (error) {
 *   if (McpOAuthError.is(error, 'interaction_required')) console.error('log in first');
 *   else if (McpOAuthError.isInstance(error)) console.error(error.code, error.oauthError, error.message);
 *   else throw error;
 * }
 * ```
 */
export class McpOAuthError extends Error {
  // Declared, not initialized: the constructor assigns them (in this order, `name` last, as
  // initialized fields would), and no field initializer code is emitted.
  /** The stable code: what failed, for `switch` and for programs. */
  declare readonly code: McpOAuthErrorCode;
  /** The server's OAuth `error` value (RFC 6749 §5.2), when a server answered with one. */
  declare readonly oauthError: string | undefined;
  /** The server's `error_description`, when it gave one. */
  declare readonly oauthErrorDescription: string | undefined;
  /** The HTTP status of the response that caused the failure, when there was one. */
  declare readonly status: number | undefined;
  /** Non-secret context: URLs, store keys, issuer, attempt counts, `option` (the option to set). Never tokens. */
  declare readonly details: Readonly<Record<string, string | number | boolean | undefined>>;
  /**
   * Whether repeating the request may succeed and is safe, decided by core for the kind of
   * request that failed (network failures, 429, 5xx; for a refresh or a code exchange, only
   * failures the server certainly did not act on). False for refusals and invalid answers.
   */
  declare retryable: boolean;
  /** @internal The brand `isInstance` checks (`Symbol.for`, so it holds across copies of the package). */
  declare readonly [BRAND]: true;

  constructor(code: McpOAuthErrorCode, message: string, options: McpOAuthErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.oauthError = options.oauthError;
    this.oauthErrorDescription = options.oauthErrorDescription;
    this.status = options.status;
    this.details = options.details ?? {};
    this.retryable = false;
    this[BRAND] = true;
    this.name = 'McpOAuthError';
  }

  /**
   * True when `value` is an `McpOAuthError`, from this copy of the package or another
   * (unlike `instanceof`).
   */
  static isInstance(value: unknown): value is McpOAuthError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
    );
  }

  /** True when `value` is one of ours and carries `code`. */
  static is<C extends McpOAuthErrorCode>(
    value: unknown,
    code: C,
  ): value is McpOAuthError & {
    /** The code checked for. */
    code: C;
  } {
    return McpOAuthError.isInstance(value) && value.code === code;
  }
}

/** `error` when it is one of ours, else a new error with `code` and `message` that has it as cause. */
export function ensureMcpOAuthError(
  error: unknown,
  code: McpOAuthErrorCode,
  message: string,
): McpOAuthError {
  return McpOAuthError.isInstance(error)
    ? error
    : new McpOAuthError(code, message, { cause: error });
}
