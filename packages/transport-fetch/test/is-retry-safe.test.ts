import { describe, expect, it } from 'vitest';
import { isRetrySafe, type RetryFailure, type RetryRequest } from '../src/index.ts';

function request(method: string): RetryRequest {
  return { method, url: new URL('https://as.example/token'), headers: new Headers() };
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

  it('any method is repeated when nothing was sent (a refused connection)', () => {
    for (const method of ['POST', 'PATCH', 'CONNECT']) {
      expect(isRetrySafe(request(method), refused)).toBe(true);
    }
  });

  it('POST and PATCH are not repeated once sent: no status, no reset (no OAuth rule here)', () => {
    for (const failure of [resetBefore, resetBody, status(429), status(502), status(503)]) {
      expect(isRetrySafe(request('POST'), failure)).toBe(false);
      expect(isRetrySafe(request('PATCH'), failure)).toBe(false);
    }
  });
});
