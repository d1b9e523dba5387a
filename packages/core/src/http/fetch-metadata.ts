import type { McpOAuthErrorCode } from '../errors/codes.ts';
import { McpOAuthError } from '../errors/error.ts';
import { DISCOVERY_REPEATS_AMBIGUOUS, markRetryable } from '../retry/policy.ts';
import { asTransportError, safeUrl } from './guarded-fetch.ts';
import { readLimited } from './read-limited.ts';
import type { FetchLike } from './types.ts';

export type MetadataResult =
  | { found: true; url: string; document: Record<string, unknown> }
  | { found: false; url: string; status: number };

/**
 * GETs a JSON metadata document. Redirects are not followed (MCP: no blind redirects,
 * SSRF): a 3xx, like 404/4xx, means "not here, try the next URL";
 * a 200 that is not a JSON object is a non-conforming server and throws
 * `invalidCode`; 5xx and network failures throw at once (trying other URLs
 * would hide an outage).
 */
export async function fetchMetadata(
  fetch: FetchLike,
  url: string,
  options: {
    maxBytes: number;
    invalidCode: McpOAuthErrorCode;
    what: string;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  },
): Promise<MetadataResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...options.headers },
      redirect: 'manual',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    throw markRetryable(asTransportError(cause, url), DISCOVERY_REPEATS_AMBIGUOUS);
  }
  if (response.status >= 300 && response.status < 500) {
    await response.body?.cancel().catch(() => {});
    return { found: false, url, status: response.status };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw markRetryable(
      new McpOAuthError(
        'http_error',
        `${options.what} at ${safeUrl(url)} answered HTTP ${response.status}. Try again later.`,
        {
          status: response.status,
          details: {
            url: safeUrl(url),
            ...(response.headers.get('retry-after')
              ? { retryAfter: response.headers.get('retry-after') as string }
              : {}),
          },
        },
      ),
      DISCOVERY_REPEATS_AMBIGUOUS,
    );
  }
  const bytes = await readLimited(response, options.maxBytes, safeUrl(url));
  let parsed: unknown;
  let cause: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    cause = error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new McpOAuthError(
      options.invalidCode,
      `${options.what} at ${safeUrl(url)} is not a JSON object (${type}): check the server URL.`,
      { cause, status: 200, details: { url: safeUrl(url), contentType: type } },
    );
  }
  return { found: true, url, document: parsed as Record<string, unknown> };
}
