// Status helpers (issue 16: the predecessors' `is_expired`, `expires_in`): computed from the
// stored record and the clock, never from a request.
import { describe, expect, it } from 'vitest';
import { tokenStatus } from '../../src/client/token-info.ts';
import type { TokensRecord } from '../../src/store/records.ts';

const tokens = (expiresAt: number | undefined): TokensRecord =>
  ({
    v: 1,
    kind: 'tokens',
    issuer: 'https://as.example',
    resource: 'https://mcp.example/mcp',
    clientId: 'c1',
    accessToken: 'at-1',
    tokenType: 'bearer',
    obtainedAt: 0,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  }) as TokensRecord;

describe('tokenStatus', () => {
  it('gives whole seconds left, rounded down, while the token lives', () => {
    expect(tokenStatus(tokens(10_999), 1_000)).toMatchObject({ expiresIn: 9, isExpired: false });
  });

  it('is expired at its expiry and after, with 0 seconds left', () => {
    expect(tokenStatus(tokens(5_000), 5_000)).toMatchObject({ expiresIn: 0, isExpired: true });
    expect(tokenStatus(tokens(5_000), 9_000)).toMatchObject({ expiresIn: 0, isExpired: true });
  });

  it('without an expiry, says nothing of time left and is not expired', () => {
    expect(tokenStatus(tokens(undefined), 9_000)).toMatchObject({
      expiresIn: undefined,
      isExpired: false,
    });
  });

  it('carries no token', () => {
    expect(JSON.stringify(tokenStatus(tokens(1), 0))).not.toContain('at-1');
  });
});
