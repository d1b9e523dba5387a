// MCP security best practices (2026-07-28), "Secure URL Opening" and "Input Sanitization": the
// URLs and the code of a device authorization response (RFC 8628 §3.2) are server input,
// checked before anything shows them to a person.
import { UNPRINTABLE } from '@mcp-oauth/internal';
import { type StaticServer, startStaticServer } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import { runFlow } from '../../src/flow/run.ts';
import { deviceInteraction } from '../../src/interaction/device-interaction.ts';
import type { DevicePrompt } from '../../src/interaction/types.ts';
import { flowContext } from '../support/context.ts';
import { resourceOnItsOwnOrigin } from '../support/static-resource.ts';

describe('a hostile device authorization response (MCP BP-7, BP-9)', () => {
  let server: StaticServer;
  let answer: Record<string, unknown> = {};
  beforeAll(async () => {
    server = await startStaticServer({
      routes: (origin) => ({
        ...resourceOnItsOwnOrigin(origin, {
          device_authorization_endpoint: `${origin}/device`,
          grant_types_supported: ['urn:ietf:params:oauth:grant-type:device_code'],
        }),
        'POST /device': () => ({ body: answer }),
        'POST /token': { status: 400, body: { error: 'authorization_pending' } },
      }),
    });
  });
  afterAll(async () => server?.close());

  /** Runs the device flow against an answer of `fields`; a prompt ends it by aborting. */
  async function deviceFlow(fields: Record<string, unknown>) {
    answer = {
      device_code: 'dc',
      user_code: 'WDJB-MJHT',
      verification_uri: `${server.url}/activate`,
      expires_in: 600,
      ...fields,
    };
    const prompts: DevicePrompt[] = [];
    const events: McpOAuthEvent[] = [];
    const controller = new AbortController();
    const ctx = flowContext(undefined, {
      signal: controller.signal,
      emit: (event) => void events.push(event),
    });
    const interaction = deviceInteraction({
      prompt: (shown) => {
        prompts.push(shown);
        controller.abort(new Error('prompted'));
      },
    });
    const before = server.requests.byRoute['POST /device'] ?? 0;
    const result = await runFlow(
      ctx,
      { step: 'start', serverUrl: `${server.url}/mcp`, grant: 'device' },
      { clientId: 'c' },
      interaction,
    ).catch((e: unknown) => e);
    expect(server.requests.byRoute['POST /device']).toBe(before + 1);
    const codes = events.filter((e) => e.type === 'device_code');
    return { result, prompts, codes };
  }

  it.each([
    ['a javascript: URL', 'javascript:alert(document.cookie)', 'invalid_response'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>', 'invalid_response'],
    ['a file: URL', 'file:///etc/passwd', 'invalid_response'],
    [
      'a terminal escape sequence',
      'https://as.example/\u001b]8;;https://evil.example\u0007x',
      'invalid_response',
    ],
    ['a C1 control', 'https://as.example/\u009b2J', 'invalid_response'],
    [
      'a newline (which the URL parser would drop)',
      'https://as.example/act\nivate',
      'invalid_response',
    ],
    ['a relative URL', '/activate', 'invalid_response'],
    ['plain http on another host', 'http://as.example/activate', 'insecure_url'],
  ])(
    'a verification_uri that is %s refuses the response; nothing reaches the prompt',
    async (_what, uri, code) => {
      const { result, prompts, codes } = await deviceFlow({ verification_uri: uri });
      expect(McpOAuthError.is(result, code as 'invalid_response')).toBe(true);
      expect((result as McpOAuthError).message).toContain('verification_uri');
      // the refused value is not repeated (a scheme is named as the parser read it)
      expect(UNPRINTABLE.test((result as McpOAuthError).message)).toBe(false);
      expect((result as McpOAuthError).message).not.toMatch(/alert|<script>|passwd|evil/);
      expect(prompts).toEqual([]);
      expect(codes).toEqual([]);
    },
  );

  it.each([
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a terminal escape sequence', `https://as.example/activate?user_code=\u001b[2J`],
    ['plain http on another host', 'http://as.example/activate?user_code=WDJB-MJHT'],
  ])(
    'a verification_uri_complete that is %s is dropped: the prompt gets verification_uri and the code',
    async (_what, uri) => {
      const { result, prompts, codes } = await deviceFlow({ verification_uri_complete: uri });
      expect((result as Error).message).toBe('prompted');
      expect(prompts).toHaveLength(1);
      expect(prompts[0]).toMatchObject({
        verificationUri: `${server.url}/activate`,
        userCode: 'WDJB-MJHT',
      });
      expect(prompts[0]).not.toHaveProperty('verificationUriComplete');
      expect(codes).toHaveLength(1);
      expect(codes[0]).toMatchObject({ verificationUriComplete: undefined });
    },
  );

  it('a valid verification_uri_complete is passed on as the URL parser serialises it', async () => {
    const { prompts } = await deviceFlow({
      verification_uri: 'https://Bücher.example/activate',
      verification_uri_complete: 'https://as.example/activate?user_code=WDJB MJHT',
    });
    expect(prompts[0]).toMatchObject({
      verificationUri: 'https://xn--bcher-kva.example/activate',
      verificationUriComplete: 'https://as.example/activate?user_code=WDJB%20MJHT',
    });
  });

  it.each([
    ['ESC', 'WDJB\u001b[2J-MJHT'],
    ['CR', 'WDJB\r-MJHT'],
    ['a C1 control', 'WDJB\u0085MJHT'],
    ['a right-to-left override', 'WDJB\u202eTHJM'],
    ['only spaces', '   '],
  ])(
    'a user_code with %s refuses the response; nothing reaches the prompt',
    async (_what, userCode) => {
      const { result, prompts, codes } = await deviceFlow({ user_code: userCode });
      expect(McpOAuthError.is(result, 'invalid_response')).toBe(true);
      expect((result as McpOAuthError).message).toContain('user_code');
      expect((result as McpOAuthError).message).not.toContain('WDJB');
      expect((result as McpOAuthError).details).toMatchObject({ parameter: 'user_code' });
      expect(prompts).toEqual([]);
      expect(codes).toEqual([]);
    },
  );
});
