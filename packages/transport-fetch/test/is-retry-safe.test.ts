import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isOAuthEndpointRequest,
  isRetrySafe,
  parseRetryAfter,
  type RetryFailure,
  type RetryRequest,
} from '../src/index.ts';

function request(method: string, formBody?: string): RetryRequest {
  return { method, url: new URL('https://as.example/token'), headers: new Headers(), formBody };
}

const refused: RetryFailure = { type: 'network', phase: 'connect', code: 'ECONNREFUSED' };
const resetBefore: RetryFailure = { type: 'network', phase: 'request', code: 'ECONNRESET' };
const resetBody: RetryFailure = { type: 'network', phase: 'body', code: 'UND_ERR_SOCKET' };
const status = (s: number): RetryFailure => ({ type: 'status', status: s });

describe('isRetrySafe', () => {
  it('idempotent methods retry every retryable failure', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'get']) {
      for (const failure of [
        refused,
        resetBefore,
        resetBody,
        status(429),
        status(502),
        status(503),
        status(504),
      ]) {
        expect(isRetrySafe(request(method), failure)).toBe(true);
      }
      expect(isRetrySafe(request(method), status(500))).toBe(false);
    }
  });

  it('token, revocation and introspection POSTs retry only when unprocessed', () => {
    const token = request('POST', 'grant_type=authorization_code&code=abc');
    const revoke = request('POST', 'token=abc&token_type_hint=refresh_token');
    for (const r of [token, revoke]) {
      expect(isRetrySafe(r, refused)).toBe(true);
      expect(isRetrySafe(r, status(429))).toBe(true);
      expect(isRetrySafe(r, status(503))).toBe(true);
      expect(isRetrySafe(r, status(502))).toBe(false);
      expect(isRetrySafe(r, status(504))).toBe(false);
      expect(isRetrySafe(r, resetBefore)).toBe(false);
      expect(isRetrySafe(r, resetBody)).toBe(false);
      expect(isRetrySafe(r, refused, 'never')).toBe(false);
    }
  });

  it('other POSTs and PATCH are never retried', () => {
    for (const failure of [refused, resetBefore, status(503), status(429)]) {
      expect(isRetrySafe(request('POST'), failure)).toBe(false);
      expect(isRetrySafe(request('POST', 'name=x'), failure)).toBe(false);
      expect(isRetrySafe(request('PATCH', 'grant_type=x'), failure)).toBe(false);
    }
  });

  it('recognises OAuth requests by their form body', () => {
    expect(isOAuthEndpointRequest(request('POST', 'grant_type=refresh_token'))).toBe(true);
    expect(isOAuthEndpointRequest(request('POST', 'token=t'))).toBe(true);
    expect(isOAuthEndpointRequest(request('POST', 'grant=x'))).toBe(false);
    expect(isOAuthEndpointRequest(request('GET', 'grant_type=x'))).toBe(false);
  });
});

describe('backoff and Retry-After', () => {
  it('parses delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-01T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 01 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('doubles from minDelayMs up to maxDelayMs; jitter takes a random share off', () => {
    const options = { minDelayMs: 100, maxDelayMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, options))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    const jittered = { ...options, jitter: 0.5 };
    expect(backoffDelay(3, jittered, () => 0)).toBe(400);
    expect(backoffDelay(3, jittered, () => 0.999999)).toBe(200);
    expect(backoffDelay(3, { ...options, jitter: 1 }, () => 0.5)).toBe(200);
  });
});
