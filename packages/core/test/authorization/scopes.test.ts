import { describe, expect, it } from 'vitest';
import { selectScopes, unionScopes } from '../../src/authorization/scopes.ts';

describe('selectScopes', () => {
  it('without a challenge, prefers the scopes the application asked for', () => {
    expect(selectScopes({ requested: ['a'], resourceScopes: ['c'], wantRefreshToken: false })).toBe(
      'a',
    );
  });
  it('a challenge is authoritative: its scopes are asked for, with those the application asked for', () => {
    expect(
      selectScopes({
        requested: ['a'],
        challengeScope: 'b',
        resourceScopes: ['c'],
        wantRefreshToken: false,
      }),
    ).toBe('b a');
    // the challenge carries the scopes held (a widened grant): nothing asked twice
    expect(
      selectScopes({
        requested: ['mcp:read'],
        challengeScope: 'mcp:read mcp:admin',
        serverScopes: ['offline_access'],
        wantRefreshToken: true,
      }),
    ).toBe('mcp:read mcp:admin offline_access');
  });
  it('a challenge of blanks counts as none', () => {
    expect(
      selectScopes({ challengeScope: '  ', resourceScopes: ['c'], wantRefreshToken: false }),
    ).toBe('c');
  });
  it('then the challenge scope', () => {
    expect(
      selectScopes({ challengeScope: 'b  d', resourceScopes: ['c'], wantRefreshToken: false }),
    ).toBe('b d');
  });
  it('then scopes_supported of the resource metadata', () => {
    expect(selectScopes({ resourceScopes: ['c', 'e'], wantRefreshToken: false })).toBe('c e');
  });
  it('else omits the parameter', () => {
    expect(
      selectScopes({ wantRefreshToken: true, serverScopes: ['offline_access'] }),
    ).toBeUndefined();
  });
  it('adds offline_access only when the authorization server lists it', () => {
    expect(
      selectScopes({
        resourceScopes: ['c'],
        serverScopes: ['c', 'offline_access'],
        wantRefreshToken: true,
      }),
    ).toBe('c offline_access');
    expect(
      selectScopes({ resourceScopes: ['c'], serverScopes: ['c'], wantRefreshToken: true }),
    ).toBe('c');
    expect(
      selectScopes({
        resourceScopes: ['c'],
        serverScopes: ['offline_access'],
        wantRefreshToken: false,
      }),
    ).toBe('c');
  });
});

describe('unionScopes', () => {
  it('joins without duplicates, keeping order', () => {
    expect(unionScopes('a b', 'b c', undefined)).toBe('a b c');
  });
});
