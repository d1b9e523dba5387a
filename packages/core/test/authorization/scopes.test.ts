import { describe, expect, it } from 'vitest';
import { selectScopes, unionScopes } from '../../src/authorization/scopes.ts';

describe('selectScopes', () => {
  it('prefers the scopes the application asked for', () => {
    expect(
      selectScopes({
        requested: ['a'],
        challengeScope: 'b',
        resourceScopes: ['c'],
        wantRefreshToken: false,
      }),
    ).toBe('a');
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
