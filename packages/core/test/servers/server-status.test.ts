import { describe, expect, it } from 'vitest';
import type { TokenInfo } from '../../src/client/token-info.ts';
import { serverTokenState } from '../../src/servers/server-status.ts';

const info = (overrides: Partial<TokenInfo>): TokenInfo => ({
  issuer: 'https://as.example',
  resource: 'https://mcp.example/mcp',
  clientId: 'c',
  tokenType: 'Bearer',
  scope: undefined,
  expiresAt: undefined,
  obtainedAt: 0,
  hasRefreshToken: false,
  ...overrides,
});

describe('serverTokenState', () => {
  it('is login-needed without tokens', () => {
    expect(serverTokenState(undefined, 1_000)).toBe('login-needed');
  });
  it('is valid before expiry, and when no expiry was stated', () => {
    expect(serverTokenState(info({ expiresAt: 2_000 }), 1_000)).toBe('valid');
    expect(serverTokenState(info({}), 1_000)).toBe('valid');
  });
  it('is refreshable after expiry with a refresh token, login-needed without one', () => {
    expect(serverTokenState(info({ expiresAt: 500, hasRefreshToken: true }), 1_000)).toBe(
      'refreshable',
    );
    expect(serverTokenState(info({ expiresAt: 500 }), 1_000)).toBe('login-needed');
  });
});
