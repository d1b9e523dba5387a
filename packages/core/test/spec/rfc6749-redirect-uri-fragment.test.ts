// OAuth 2.1 §2.3.1 / RFC 6749 §3.1.2: a redirect URI must not contain a fragment.
import { describe, expect, it } from 'vitest';
import { buildAuthorizationRequest } from '../../src/authorization/build-url.ts';
import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { resolveClient } from '../../src/registration/resolve-client.ts';
import type { ClientRecord } from '../../src/store/records.ts';
import { flowContext } from '../support/context.ts';

const as: AuthorizationServerMetadata = {
  issuer: 'https://as.example',
  authorization_endpoint: 'https://as.example/authorize',
  token_endpoint: 'https://as.example/token',
  code_challenge_methods_supported: ['S256'],
};
const client: ClientRecord = {
  v: 1,
  kind: 'client',
  issuer: as.issuer,
  source: 'pre-registered',
  clientId: 'c',
  tokenEndpointAuthMethod: 'none',
  redirectUris: [],
  grantTypes: ['authorization_code'],
  registeredAt: 0,
};
const request = (redirectUri: string) =>
  buildAuthorizationRequest(flowContext(), {
    serverUrl: 'https://mcp.example/mcp',
    resource: 'https://mcp.example/mcp',
    as,
    client,
    redirectUri,
    scope: undefined,
  });

describe('redirect URIs (OAuth 2.1)', () => {
  it.each(['http://127.0.0.1:9/callback#done', 'https://app.example/oauth/callback#'])(
    'refuses the redirect URI %s, which has a fragment',
    async (redirectUri) => {
      // checked when the client is resolved, before any registration (mcp-redirect-uri-https.test.ts)
      const error = await resolveClient(
        flowContext(),
        as,
        { clientId: 'c' },
        { redirectUri, grantTypes: ['authorization_code'] },
      ).catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
      expect((error as McpOAuthError).details).toMatchObject({ option: 'redirectUri' });
      expect((error as Error).message).toContain('has a fragment');
    },
  );

  it('sends a redirect URI without a fragment exactly as given', async () => {
    for (const uri of ['http://127.0.0.1:9/callback', 'https://app.example/oauth/callback?x=1']) {
      const pending = await request(uri);
      expect(new URL(pending.authorizationUrl).searchParams.get('redirect_uri')).toBe(uri);
      expect(pending.redirectUri).toBe(uri);
    }
  });
});
