import { join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';
import { describe, expect, it, vi } from 'vitest';
import { loopbackInteraction } from '../src/interaction.ts';
import { startLoopbackReceiver } from '../src/start-loopback-receiver.ts';
import { fakeBrowser, get, readJson, tempDir } from './helpers.ts';

function authorizationUrl(redirectUri: string, state: string): string {
  const url = new URL('https://as.example/authorize');
  url.search = new URLSearchParams({
    response_type: 'code',
    redirect_uri: redirectUri,
    state,
  }).toString();
  return url.href;
}

describe('loopbackInteraction', () => {
  it('completes a flow with a BROWSER program that follows the redirect itself', async () => {
    const dir = await tempDir();
    const script = await fakeBrowser(dir, 'code=c0de&iss=https%3A%2F%2Fas.example');
    const onOpenFailed = vi.fn();
    const interaction = loopbackInteraction({
      env: { BROWSER: script },
      onOpenFailed,
      timeoutMs: 10_000,
    });
    expect(interaction.kind).toBe('redirect');
    const { redirectUri } = await interaction.prepare();
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await interaction.prepare()).toEqual({ redirectUri });

    const callback = await interaction.authorize({
      authorizationUrl: authorizationUrl(redirectUri, 'st/ä+1'),
      expectedState: 'st/ä+1',
    });
    const parsed = new URL(callback);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(redirectUri);
    expect(parsed.searchParams.get('code')).toBe('c0de');
    expect(parsed.searchParams.get('state')).toBe('st/ä+1');
    expect(parsed.searchParams.get('iss')).toBe('https://as.example');
    expect(onOpenFailed).not.toHaveBeenCalled();
    const seen = await readJson<{ status: number; body: string }>(join(dir, 'result.json'));
    expect(seen.status).toBe(200);
    expect(seen.body).toContain('close this tab');
    await expect(get(redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('shows the URL when no browser can be opened, and accepts the callback from elsewhere', async () => {
    const onOpenFailed = vi.fn();
    const interaction = loopbackInteraction({ env: { SSH_CONNECTION: '1 2 3 4' }, onOpenFailed });
    const { redirectUri } = await interaction.prepare();
    const url = authorizationUrl(redirectUri, 'abc');
    const pending = interaction.authorize({ authorizationUrl: url, expectedState: 'abc' });
    await vi.waitFor(() => expect(onOpenFailed).toHaveBeenCalledWith(url, { reason: 'ssh' }));
    const callback = `${redirectUri}?code=x&state=abc`;
    await get(callback);
    await expect(pending).resolves.toBe(callback);
  });

  it('prints "Open this URL in a browser" to stderr by default when openBrowser is false', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const interaction = loopbackInteraction({ openBrowser: false });
      const { redirectUri } = await interaction.prepare();
      const url = authorizationUrl(redirectUri, 'abc');
      const pending = interaction.authorize({ authorizationUrl: url, expectedState: 'abc' });
      await vi.waitFor(() =>
        expect(write).toHaveBeenCalledWith(`Open this URL in a browser: ${url}\n`),
      );
      await get(`${redirectUri}?code=x&state=abc`);
      await pending;
    } finally {
      write.mockRestore();
    }
  });

  it('uses a custom opener, and shows the URL when it fails', async () => {
    const onOpenFailed = vi.fn();
    const opener = vi.fn(async (url: string) => {
      const redirect = new URL(url).searchParams.get('redirect_uri');
      await get(`${redirect}?code=from-opener&state=abc`);
    });
    const interaction = loopbackInteraction({ openBrowser: opener, onOpenFailed });
    const { redirectUri } = await interaction.prepare();
    await expect(
      interaction.authorize({
        authorizationUrl: authorizationUrl(redirectUri, 'abc'),
        expectedState: 'abc',
      }),
    ).resolves.toBe(`${redirectUri}?code=from-opener&state=abc`);
    expect(onOpenFailed).not.toHaveBeenCalled();

    const failing = loopbackInteraction({
      openBrowser: () => Promise.reject(new Error('no browser')),
      onOpenFailed,
      timeoutMs: 100,
    });
    const second = await failing.prepare();
    await expect(
      failing.authorize({
        authorizationUrl: authorizationUrl(second.redirectUri, 'abc'),
        expectedState: 'abc',
      }),
    ).rejects.toMatchObject({ code: 'interaction_timeout' });
    expect(onOpenFailed).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ reason: 'launch_failed' }),
    );
  });

  it('times out even when a custom opener never settles', async () => {
    const interaction = loopbackInteraction({
      openBrowser: () => new Promise(() => {}),
      timeoutMs: 100,
    });
    const { redirectUri } = await interaction.prepare();
    await expect(
      interaction.authorize({
        authorizationUrl: authorizationUrl(redirectUri, 'abc'),
        expectedState: 'abc',
      }),
    ).rejects.toMatchObject({ code: 'interaction_timeout' });
  });

  it('ends with interaction_timeout and frees the port', async () => {
    const interaction = loopbackInteraction({
      openBrowser: false,
      onOpenFailed: () => {},
      timeoutMs: 120,
    });
    const { redirectUri } = await interaction.prepare();
    const error = await interaction
      .authorize({ authorizationUrl: authorizationUrl(redirectUri, 'abc'), expectedState: 'abc' })
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'interaction_timeout')).toBe(true);
    // it names the option that allows more time, and the time it waited
    expect(error).toMatchObject({ details: { option: 'timeoutMs', timeoutMs: 120 } });
    expect((error as Error).message).toContain('within 120 ms');
    expect((error as Error).message).toMatch(/raise the `timeoutMs` option\.$/);
    await expect(get(redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The interaction can run again: prepare() starts a new listener.
    const again = await interaction.prepare();
    expect(again.redirectUri).not.toBe(redirectUri);
    await interaction.dispose?.();
  });

  it('rejects a non-http authorization URL with invalid_configuration and frees the listener', async () => {
    const onOpenFailed = vi.fn();
    const interaction = loopbackInteraction({ env: { DISPLAY: ':0' }, onOpenFailed });
    const { redirectUri } = await interaction.prepare();
    const error = await interaction
      .authorize({ authorizationUrl: 'file:///etc/passwd', expectedState: 'abc' })
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    expect(onOpenFailed).not.toHaveBeenCalled();
    await expect(get(redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('requires prepare() before authorize()', async () => {
    const interaction = loopbackInteraction({ openBrowser: false });
    await expect(
      interaction.authorize({ authorizationUrl: 'https://as.example/', expectedState: 'abc' }),
    ).rejects.toMatchObject({ code: 'invalid_configuration' });
  });

  it('dispose() frees the listener when the flow ends before authorize()', async () => {
    const interaction = loopbackInteraction();
    const { redirectUri } = await interaction.prepare();
    expect((await get(redirectUri)).status).toBe(400);
    await interaction.dispose?.();
    await expect(get(redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('await using frees the listener and its port when the block ends', async () => {
    let redirectUri = '';
    {
      await using interaction = loopbackInteraction();
      ({ redirectUri } = await interaction.prepare());
      expect((await get(redirectUri)).status).toBe(400);
    }
    await expect(get(redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The port is free again: a fixed-port listener can take it.
    const port = Number(new URL(redirectUri).port);
    await using again = await startLoopbackReceiver({ port });
    expect(again.port).toBe(port);
  });

  it('is cancelled by the signal given to authorize() or to the options', async () => {
    const perCall = new AbortController();
    const interaction = loopbackInteraction({ openBrowser: false, onOpenFailed: () => {} });
    const { redirectUri } = await interaction.prepare();
    const pending = interaction.authorize({
      authorizationUrl: authorizationUrl(redirectUri, 'abc'),
      expectedState: 'abc',
      signal: perCall.signal,
    });
    perCall.abort();
    await expect(pending).rejects.toMatchObject({
      code: 'interaction_failed',
      details: { reason: 'aborted' },
    });

    const global = new AbortController();
    const other = loopbackInteraction({
      openBrowser: false,
      onOpenFailed: () => {},
      signal: global.signal,
    });
    const second = await other.prepare();
    const pending2 = other.authorize({
      authorizationUrl: authorizationUrl(second.redirectUri, 'abc'),
      expectedState: 'abc',
      signal: new AbortController().signal,
    });
    global.abort();
    await expect(pending2).rejects.toMatchObject({
      code: 'interaction_failed',
      details: { reason: 'aborted' },
    });
  });
});

describe('loopbackInteraction prepare()', () => {
  it('shares one listener between concurrent prepare() calls', async () => {
    const interaction = loopbackInteraction({ openBrowser: false });
    const [a, b] = await Promise.all([interaction.prepare(), interaction.prepare()]);
    expect(a).toEqual(b);
    await interaction.dispose?.();
    await expect(get(a.redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('reports a taken fixed port, and can be prepared again once it is free', async () => {
    const first = loopbackInteraction({ openBrowser: false });
    const { redirectUri } = await first.prepare();
    const port = Number(new URL(redirectUri).port);
    const second = loopbackInteraction({ port, openBrowser: false });
    await expect(second.prepare()).rejects.toMatchObject({
      code: 'interaction_failed',
      details: { reason: 'port_in_use', port },
    });
    await first.dispose?.();
    await expect(second.prepare()).resolves.toEqual({ redirectUri });
    await second.dispose?.();
  });
});
