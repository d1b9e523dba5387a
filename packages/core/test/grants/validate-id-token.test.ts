import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { processAuthorizationCodeResponse, processDeviceCodeResponse } from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { buildAuthorizationRequest } from '../../src/authorization/build-url.ts';
import { requestsOpenId } from '../../src/authorization/requests-openid.ts';
import { identityOf } from '../../src/client/identity.ts';
import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { tokensFromResponse } from '../../src/grants/token-record.ts';
import { validateIdToken } from '../../src/grants/validate-id-token.ts';
import type { ClientRecord } from '../../src/store/records.ts';
import { flowContext } from '../support/context.ts';

const issuer = 'https://as.example';
const clientId = 'client-1';
const as: AuthorizationServerMetadata = {
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/jwks`,
  id_token_signing_alg_values_supported: ['ES256'],
  code_challenge_methods_supported: ['S256'],
};

const signing = await generateKeyPair('ES256');
const other = await generateKeyPair('ES256');
const jwks = { keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'ES256' }] };

async function idToken(
  claims: Record<string, unknown> = {},
  key: CryptoKey = signing.privateKey,
  alg = 'ES256',
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: issuer,
    aud: clientId,
    sub: 'user-1',
    iat: now,
    exp: now + 300,
    nonce: 'n-1',
    ...claims,
  })
    .setProtectedHeader({ alg, kid: 'k1' })
    .sign(key);
}

function tokenResponse(extra: Record<string, unknown>) {
  return new Response(JSON.stringify({ access_token: 'at', token_type: 'Bearer', ...extra }), {
    headers: { 'content-type': 'application/json' },
  });
}

/** A context whose fetch serves the JWKS and counts requests. */
function context(metadata = as) {
  const requests: string[] = [];
  const ctx = flowContext(async (input) => {
    requests.push(String(input));
    return Response.json(jwks);
  });
  const validate = (body: Record<string, unknown>, nonce: string | undefined = 'n-1') => {
    const response = tokenResponse(body);
    return validateIdToken(
      ctx,
      metadata,
      (options) =>
        processAuthorizationCodeResponse(
          metadata as never,
          { client_id: clientId },
          response,
          options,
        ),
      nonce,
    );
  };
  return { ctx, requests, validate };
}

async function refusal(promise: Promise<unknown>): Promise<McpOAuthError> {
  const error = await promise.catch((e: unknown) => e);
  expect(McpOAuthError.is(error, 'id_token_invalid'), String(error)).toBe(true);
  return error as McpOAuthError;
}

describe('requestsOpenId', () => {
  it('is true only for the openid scope itself', () => {
    expect(requestsOpenId('openid mcp:read')).toBe(true);
    expect(requestsOpenId('mcp:read openid')).toBe(true);
    expect(requestsOpenId('mcp:read')).toBe(false);
    expect(requestsOpenId('openid:x')).toBe(false);
    expect(requestsOpenId(undefined)).toBe(false);
  });
});

describe('authorization request nonce (OIDC Core §3.1.2.1)', () => {
  const client = { clientId } as ClientRecord;
  const build = (scope: string | undefined) => {
    let n = 0;
    const ctx = flowContext(undefined, { randomString: () => `random-${++n}` });
    return buildAuthorizationRequest(ctx, {
      serverUrl: 'https://mcp.example/mcp',
      resource: 'https://mcp.example/mcp',
      as,
      client,
      redirectUri: 'http://127.0.0.1:1/cb',
      scope,
    });
  };

  it('sends a fresh nonce with openid and keeps it in the pending authorization', async () => {
    const pending = await build('openid mcp:read');
    const params = new URL(pending.authorizationUrl).searchParams;
    expect(params.get('nonce')).toBe(pending.nonce);
    expect(pending.nonce).not.toBe(pending.state);
    expect(pending.nonce).not.toBe(pending.codeVerifier);
  });

  it('sends none without openid', async () => {
    const pending = await build('mcp:read');
    expect(new URL(pending.authorizationUrl).searchParams.has('nonce')).toBe(false);
    expect(pending).not.toHaveProperty('nonce');
  });
});

describe('ID token validation (OIDC Core §3.1.3.7)', () => {
  it('returns the claims of a valid ID token, its signature checked with the JWKS', async () => {
    const { validate, requests } = context();
    const { idTokenClaims } = await validate({ id_token: await idToken() });
    expect(idTokenClaims).toMatchObject({
      sub: 'user-1',
      iss: issuer,
      aud: clientId,
      nonce: 'n-1',
    });
    expect(requests).toEqual([`${issuer}/jwks`]);
  });

  it('tries every signing key of the right type when the ID token names no kid', async () => {
    const rsa = await generateKeyPair('RS256');
    const keys = [
      { ...(await exportJWK(other.publicKey)) }, // same type, wrong key
      { ...(await exportJWK(rsa.publicKey)), alg: 'RS256' }, // another type
      { ...(await exportJWK(signing.publicKey)), alg: 'PS256' }, // declared for another algorithm
      { ...(await exportJWK(signing.publicKey)), use: 'sig' }, // the one
    ];
    const ctx = flowContext(async () => Response.json({ keys }));
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      iss: issuer,
      aud: clientId,
      sub: 'u',
      iat: now,
      exp: now + 60,
      nonce: 'n-1',
    })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(signing.privateKey);
    const response = tokenResponse({ id_token: token });
    const { idTokenClaims } = await validateIdToken(
      ctx,
      as,
      (options) =>
        processAuthorizationCodeResponse(as as never, { client_id: clientId }, response, options),
      'n-1',
    );
    expect(idTokenClaims?.sub).toBe('u');
    const withoutIt = flowContext(async () => Response.json({ keys: keys.slice(0, 3) }));
    const again = tokenResponse({ id_token: token });
    await refusal(
      validateIdToken(
        withoutIt,
        as,
        (options) =>
          processAuthorizationCodeResponse(as as never, { client_id: clientId }, again, options),
        'n-1',
      ),
    );
  });

  it('refuses a signature by another key', async () => {
    const error = await refusal(
      context().validate({ id_token: await idToken({}, other.privateKey) }),
    );
    expect(error.message).toMatch(/signature/);
  });

  it('refuses a wrong nonce, naming the claim', async () => {
    const error = await refusal(context().validate({ id_token: await idToken({ nonce: 'n-2' }) }));
    expect(error.details.claim).toBe('nonce');
  });

  it('refuses another issuer, another audience and an expired token', async () => {
    await refusal(context().validate({ id_token: await idToken({ iss: 'https://evil.example' }) }));
    await refusal(context().validate({ id_token: await idToken({ aud: 'another-client' }) }));
    await refusal(
      context().validate({ id_token: await idToken({ exp: Math.floor(Date.now() / 1000) - 600 }) }),
    );
  });

  it('refuses an algorithm the issuer does not advertise, before fetching keys', async () => {
    const rsa = await generateKeyPair('RS256');
    const { validate, requests } = context();
    await refusal(validate({ id_token: await idToken({}, rsa.privateKey, 'RS256') }));
    expect(requests).toEqual([]);
  });

  it('refuses a response without an ID token, and an issuer without jwks_uri', async () => {
    await refusal(context().validate({}));
    const { jwks_uri: _, ...withoutJwks } = as;
    await refusal(context(withoutJwks).validate({ id_token: await idToken() }));
  });

  it('never puts the ID token in the error', async () => {
    const token = await idToken({ nonce: 'n-2' });
    const error = await refusal(context().validate({ id_token: token }));
    expect(`${error.message} ${String(error.cause)}`).not.toContain(token.split('.')[1]);
  });

  it('device flow (no nonce): a response without an ID token has no claims and fetches nothing', async () => {
    const { ctx, requests } = context();
    const response = tokenResponse({});
    const result = await validateIdToken(
      ctx,
      as,
      () => processDeviceCodeResponse(as as never, { client_id: clientId }, response),
      undefined,
    );
    expect(result.idTokenClaims).toBeUndefined();
    expect(requests).toEqual([]);
  });
});

describe('identity claims in the token record', () => {
  it('keeps the previous claims through a refresh', () => {
    const from = { issuer, resource: 'https://mcp.example/mcp', clientId };
    const first = tokensFromResponse({ access_token: 'a1', token_type: 'bearer' }, 0, {
      ...from,
      idTokenClaims: { sub: 'user-1' },
    });
    const refreshed = tokensFromResponse(
      { access_token: 'a2', token_type: 'bearer' },
      1,
      from,
      first,
    );
    expect(refreshed.idTokenClaims).toEqual({ sub: 'user-1' });
  });

  it('identityOf takes email and name only when they are strings', () => {
    expect(identityOf({ sub: 's', email: 'a@b.c', name: 'A' })).toEqual({
      subject: 's',
      email: 'a@b.c',
      name: 'A',
      claims: { sub: 's', email: 'a@b.c', name: 'A' },
    });
    expect(identityOf({ sub: 's', email: 1 })).toEqual({
      subject: 's',
      claims: { sub: 's', email: 1 },
    });
  });
});
