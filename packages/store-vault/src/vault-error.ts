import { McpOAuthError, type McpOAuthErrorCode } from '@mcp-oauth/core/store';

/** What went wrong with one call to Vault, stripped of anything secret. */
export type Failure =
  | { kind: 'http'; status: number; errors: string[]; body: unknown }
  | { kind: 'network'; code: string; message: string };

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * Reads a node-vault rejection (an `ApiResponseError` with `response.statusCode`
 * and `response.body`) or an axios transport error. Never keeps the original error:
 * axios errors carry the request config, headers included, and so the Vault token.
 */
export function classify(error: unknown): Failure {
  const e = error as {
    response?: { statusCode?: number; body?: unknown };
    code?: string;
    message?: string;
  };
  if (e && typeof e.response?.statusCode === 'number') {
    const body = e.response.body as { errors?: unknown } | undefined;
    const errors = Array.isArray(body?.errors) ? body.errors.map(String) : [];
    return { kind: 'http', status: e.response.statusCode, errors, body };
  }
  const code = typeof e?.code === 'string' ? e.code : 'UNKNOWN';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return { kind: 'network', code, message };
}

export function isRetryable(failure: Failure): boolean {
  if (failure.kind === 'network')
    return NETWORK_CODES.has(failure.code) || failure.code === 'UNKNOWN';
  return failure.status === 429 || failure.status >= 500;
}

export const isSealed = (f: Failure) =>
  f.kind === 'http' && f.status === 503 && f.errors.some((m) => /sealed/i.test(m));

/** A safe `cause`: status and Vault's own messages (never the request). */
export function safeCause(failure: Failure): Error {
  return failure.kind === 'http'
    ? new Error(`Vault answered ${failure.status}: ${failure.errors.join('; ') || '(no message)'}`)
    : new Error(`${failure.code}: ${failure.message}`);
}

export function storeError(
  code: McpOAuthErrorCode,
  message: string,
  failure: Failure | undefined,
  details: Record<string, string | number | boolean | undefined>,
): McpOAuthError {
  return new McpOAuthError(code, message, {
    cause: failure ? safeCause(failure) : undefined,
    ...(failure?.kind === 'http' ? { status: failure.status } : {}),
    details: {
      ...details,
      ...(failure?.kind === 'network' ? { network: failure.code } : {}),
    },
  });
}

/** Network failures before any request reached Vault. */
const UNREACHED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** The typed error for a failure that retries did not cure (or that is not retryable). */
export function unavailableError(failure: Failure, address: string, path: string): McpOAuthError {
  if (isSealed(failure)) {
    return storeError(
      'store_unavailable',
      `Vault at ${address} is sealed (503): nothing can be read or written until an operator unseals it. Tokens were kept; retry after unsealing.`,
      failure,
      { address, path, reason: 'sealed' },
    );
  }
  if (failure.kind === 'http' && failure.status === 503) {
    return storeError(
      'store_unavailable',
      `Vault at ${address} is unavailable (503${failure.errors[0] ? `: ${failure.errors[0]}` : ''}), for example a standby node without an active node. Retry later or point the store at the active node.`,
      failure,
      { address, path, reason: 'standby' },
    );
  }
  if (failure.kind === 'network') {
    // refused or not found: no request reached Vault; a connection cut midway may have been
    // applied (a write), so nothing is claimed of it
    const unreached = UNREACHED.has(failure.code);
    return storeError(
      'store_unavailable',
      unreached
        ? `Could not reach Vault at ${address} (${failure.code}): check that Vault runs there and the network reaches it, or give the right address with the \`address\` option (default: VAULT_ADDR). Nothing in Vault was changed.`
        : `The connection to Vault at ${address} failed (${failure.code}) for ${path}: retry; if it keeps failing, check the network and the \`address\` option (default: VAULT_ADDR).`,
      failure,
      { address, path, reason: 'network', option: 'address' },
    );
  }
  return storeError(
    failure.status >= 500 || failure.status === 429 ? 'store_unavailable' : 'store_read_failed',
    `Vault at ${address} answered ${failure.status} for ${path}${failure.errors[0] ? `: ${failure.errors[0]}` : ''}.`,
    failure,
    { address, path, reason: 'http' },
  );
}
