import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../src/backoff.ts';

describe('backoffDelay', () => {
  const options = { minDelayMs: 100, maxDelayMs: 1000 };

  it('doubles per failed attempt, between half and all of the exponential delay', () => {
    expect(backoffDelay(1, options, undefined, () => 0)).toBe(50);
    expect(backoffDelay(1, options, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, options, undefined, () => 1)).toBe(400);
  });

  it('never exceeds maxDelayMs, even for a long Retry-After', () => {
    expect(backoffDelay(10, options, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(1, options, 60_000, () => 0)).toBe(1000);
  });

  it('waits at least what Retry-After asks, within the cap', () => {
    expect(backoffDelay(1, options, 700, () => 0)).toBe(700);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and refuses the rest', () => {
    const now = Date.parse('Sun, 06 Nov 1994 08:49:30 GMT');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
