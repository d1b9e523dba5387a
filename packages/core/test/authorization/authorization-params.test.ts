// Extra parameters of the authorization request (issue 16: `prompt`, `login_hint`, ...): added
// as given; those the library sets itself are refused, named, with a typed error.
import { describe, expect, it } from 'vitest';
import {
  checkAuthorizationParams,
  RESERVED_AUTHORIZATION_PARAMS,
} from '../../src/authorization/authorization-params.ts';
import { buildAuthorizationRequest } from '../../src/authorization/build-url.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { flowContext } from '../support/context.ts';
import { exampleAs, RESOURCE } from '../support/example-as.ts';

const build = (extraParams?: Record<string, string>) =>
  buildAuthorizationRequest(flowContext(), {
    serverUrl: RESOURCE,
    resource: RESOURCE,
    as: exampleAs(),
    client: { v: 1, kind: 'client', issuer: 'https://as.example', clientId: 'c1' } as never,
    redirectUri: 'http://127.0.0.1:9/callback',
    scope: 'mcp:read',
    ...(extraParams ? { extraParams } : {}),
  });

describe('extra authorization parameters', () => {
  it('are added to the authorization URL beside the library’s own', async () => {
    const pending = await build({ prompt: 'consent', login_hint: 'ada', ui_locales: 'fr de' });
    const params = new URL(pending.authorizationUrl).searchParams;
    expect(params.get('prompt')).toBe('consent');
    expect(params.get('login_hint')).toBe('ada');
    expect(params.get('ui_locales')).toBe('fr de');
    expect(params.get('client_id')).toBe('c1');
    expect(params.get('scope')).toBe('mcp:read');
  });

  it.each(RESERVED_AUTHORIZATION_PARAMS)('refuses %s, which the library owns', async (name) => {
    const error = await build({ [name]: 'x' }).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration'), String(error)).toBe(true);
    expect((error as McpOAuthError).details.parameters).toBe(name);
    expect((error as Error).message).toContain(name);
  });

  it('names every refused parameter, whatever its case, and points scope to `scopes`', () => {
    let error: unknown;
    try {
      checkAuthorizationParams({ prompt: 'login', Scope: 'a', STATE: 's' });
    } catch (e) {
      error = e;
    }
    expect((error as McpOAuthError).details.parameters).toBe('Scope STATE');
    expect((error as Error).message).toContain('`scopes`');
  });

  it('refuses values that are not strings', () => {
    expect(() => checkAuthorizationParams({ max_age: 60 })).toThrow(/max_age must be strings/);
  });
});
