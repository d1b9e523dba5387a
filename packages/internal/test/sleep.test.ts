import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/redact-url.ts';
import { sleep } from '../src/sleep.ts';

describe('sleep', () => {
  it('rejects with the reason of a signal that aborts while it waits', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('rejects at once for a signal already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });

  it('resolves after the delay', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});

describe('redactUrl', () => {
  it('keeps origin and path, drops query, fragment and credentials', () => {
    expect(redactUrl('https://user:pw@as.example/token?code=abc#x')).toBe(
      'https://as.example/token',
    );
    expect(redactUrl('not a url')).toBe('(invalid URL)');
  });

  it('keeps scheme and host of a URL without a web origin (redis://), never its password', () => {
    expect(redactUrl('redis://user:secret@cache.internal:6379/0?x=1')).toBe(
      'redis://cache.internal:6379/0',
    );
    expect(redactUrl('rediss://:secret@cache.internal:6380')).toBe('rediss://cache.internal:6380');
  });
});
