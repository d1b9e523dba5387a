import { describe, expect, it } from 'vitest';
import { McpOAuthError } from '../../src/errors/error.ts';
import { asTransportError } from '../../src/http/guarded-fetch.ts';
import {
  failureOf,
  markRetryable,
  REFRESH_REPEATS_AMBIGUOUS,
  TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS,
} from '../../src/retry/policy.ts';

const URL = 'https://as.example/token';
const status = (s: number) => new McpOAuthError('token_request_failed', 'x', { status: s });
const refused = (code: string) =>
  asTransportError(Object.assign(new TypeError('fetch failed'), { cause: { code } }), URL);

describe('how a request failed (retry/policy.ts failureOf)', () => {
  it('unprocessed: refused connection, unknown name, 429, 503', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])
      expect(failureOf(refused(code))).toBe('unprocessed');
    expect(failureOf(status(429))).toBe('unprocessed');
    expect(failureOf(status(503))).toBe('unprocessed');
  });

  it("unprocessed: a transport error whose phase is 'connect' (nothing was sent)", () => {
    const error = asTransportError(Object.assign(new TypeError('x'), { phase: 'connect' }), URL);
    expect(failureOf(error)).toBe('unprocessed');
  });

  it("unprocessed: @mcp-oauth/transport-fetch's errors with details.phase 'connect', a timeout included", () => {
    for (const code of ['network_error', 'timeout'] as const) {
      const error = new McpOAuthError(code, 'x', { details: { phase: 'connect' } });
      expect(failureOf(asTransportError(error, URL))).toBe('unprocessed');
    }
    const sent = new McpOAuthError('network_error', 'x', { details: { phase: 'request' } });
    expect(failureOf(sent)).toBe('ambiguous');
  });

  it('ambiguous: a reset after sending, a plain network error, a timeout, 500, 502, 504', () => {
    expect(failureOf(refused('ECONNRESET'))).toBe('ambiguous');
    expect(failureOf(asTransportError(new TypeError('fetch failed'), URL))).toBe('ambiguous');
    expect(failureOf(asTransportError(new DOMException('slow', 'TimeoutError'), URL))).toBe(
      'ambiguous',
    );
    for (const s of [500, 502, 504]) expect(failureOf(status(s))).toBe('ambiguous');
  });

  it('never: OAuth error responses and other 4xx', () => {
    const invalidGrant = new McpOAuthError('grant_rejected', 'x', {
      status: 400,
      oauthError: 'invalid_grant',
    });
    expect(failureOf(invalidGrant)).toBeUndefined();
    expect(failureOf(status(401))).toBeUndefined();
    expect(failureOf(status(404))).toBeUndefined();
  });
});

describe('retryable, by the row of the request (retry/policy.ts markRetryable)', () => {
  it('a refresh: unprocessed only', () => {
    const mark = (e: McpOAuthError) =>
      (markRetryable(e, REFRESH_REPEATS_AMBIGUOUS) as McpOAuthError).retryable;
    expect(mark(status(503))).toBe(true);
    expect(mark(refused('ECONNREFUSED'))).toBe(true);
    expect(mark(status(502))).toBe(false);
    expect(mark(refused('ECONNRESET'))).toBe(false);
  });

  it('client_credentials and the other grants without a person: ambiguous too', () => {
    const mark = (e: McpOAuthError) =>
      (markRetryable(e, TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS) as McpOAuthError).retryable;
    expect(mark(status(502))).toBe(true);
    expect(mark(refused('ECONNRESET'))).toBe(true);
    expect(mark(status(400))).toBe(false);
  });

  it('an error no request marked is not retryable', () => {
    expect(new McpOAuthError('network_error', 'x').retryable).toBe(false);
  });
});
