import { describe, expect, it } from 'vitest';
import { rateLimitByOrigin } from '../../src/http/rate-limit.ts';
import type { FetchLike } from '../../src/http/types.ts';

/** A fetch that records when each request reached it, on a clock the test moves. */
function recorder(clock: { t: number }) {
  const seen: { url: string; at: number }[] = [];
  const fetch: FetchLike = async (input) => {
    seen.push({ url: String(input), at: clock.t });
    return new Response('ok');
  };
  return { seen, fetch };
}

describe('rateLimitByOrigin', () => {
  it('lets a burst through at once, then spaces requests at the rate', async () => {
    const clock = { t: 0 };
    const { seen, fetch } = recorder(clock);
    const limited = rateLimitByOrigin({ requestsPerSecond: 50, burst: 2 }, () => clock.t)(fetch);
    const started = performance.now();
    await Promise.all([1, 2, 3, 4].map((i) => limited(`https://as.example/token?${i}`)));
    // Two at once; the third waits one interval (20 ms), the fourth two (40 ms).
    expect(seen).toHaveLength(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('keeps one bucket per origin: another server does not wait', async () => {
    const clock = { t: 0 };
    const { seen, fetch } = recorder(clock);
    const limited = rateLimitByOrigin({ requestsPerSecond: 0.001, burst: 1 }, () => clock.t)(fetch);
    await limited('https://one.example/token');
    await limited('https://two.example/token');
    expect(seen.map((s) => new URL(s.url).origin)).toEqual([
      'https://one.example',
      'https://two.example',
    ]);
    const controller = new AbortController();
    const third = limited('https://one.example/token', { signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(third).rejects.toThrow('gave up');
    expect(seen).toHaveLength(2);
  });

  it('refills with time: after a pause, a request goes at once', async () => {
    const clock = { t: 0 };
    const { seen, fetch } = recorder(clock);
    const limited = rateLimitByOrigin({ requestsPerSecond: 1, burst: 1 }, () => clock.t)(fetch);
    await limited('https://as.example/a');
    clock.t += 1_000;
    const started = performance.now();
    await limited('https://as.example/b');
    expect(performance.now() - started).toBeLessThan(500);
    expect(seen).toHaveLength(2);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => rateLimitByOrigin({ requestsPerSecond: 0 })).toThrow(RangeError);
  });
});
