import { completeAuthorization, type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { memoryStore } from '../../src/store/memory.ts';

// RFC 8252 §7.1: a desktop app receives the redirect on a private-use URI scheme it owns
// (reverse domain name), registered as a native application.
const REDIRECT = 'com.example.desktop:/oauth/callback';

describe('custom-scheme redirect URIs (RFC 8252 §7.1)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('registers as a native app, sends the scheme, and completes with the callback the OS hands over', async () => {
    const store = memoryStore();
    const oauth = createOAuthClient({ serverUrl: stack.mcp.url, store });
    const { authorizationUrl, pending } = await oauth.beginAuthorization({ redirectUri: REDIRECT });
    expect(new URL(authorizationUrl).searchParams.get('redirect_uri')).toBe(REDIRECT);

    const [clientKey] = await store.list('client:');
    const registration = await store.get(clientKey as string);
    expect(registration).toMatchObject({ redirectUris: [REDIRECT] });

    // What the browser does, up to the redirect the OS hands to the app.
    const callback = await completeAuthorization(authorizationUrl);
    expect(callback.startsWith(`${REDIRECT}?`)).toBe(true);

    const info = await oauth.completeAuthorization(JSON.parse(JSON.stringify(pending)), callback);
    expect(info.issuer).toBe(stack.as.issuer);
    const response = await oauth.fetch(stack.mcp.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 't', version: '0' },
        },
      }),
    });
    expect(response.status).toBe(200);
  });
});
