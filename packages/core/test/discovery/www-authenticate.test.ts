import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../src/discovery/www-authenticate.ts';

describe('parseWwwAuthenticate', () => {
  it('reads a Bearer challenge with quoted parameters', () => {
    const [c] = parseWwwAuthenticate(
      'Bearer error="invalid_token", error_description="The token expired", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
    );
    expect(c?.scheme).toBe('bearer');
    expect(c?.params).toEqual({
      error: 'invalid_token',
      error_description: 'The token expired',
      resource_metadata: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
    });
  });

  it('keeps commas and escaped quotes inside quoted strings', () => {
    const [c] = parseWwwAuthenticate(
      'Bearer scope="a b", error_description="say \\"hi\\", then, go"',
    );
    expect(c?.params.scope).toBe('a b');
    expect(c?.params.error_description).toBe('say "hi", then, go');
  });

  it('splits several challenges and lower-cases scheme and parameter names', () => {
    const challenges = parseWwwAuthenticate(
      'Basic realm="x", DPoP algs="ES256", BEARER Scope=read',
    );
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'dpop', 'bearer']);
    expect(challenges[1]?.params.algs).toBe('ES256');
    expect(challenges[2]?.params.scope).toBe('read');
  });

  it('accepts token68 challenges and bare schemes', () => {
    const challenges = parseWwwAuthenticate('Negotiate abc==, Bearer');
    expect(challenges.map((c) => c.scheme)).toEqual(['negotiate', 'bearer']);
    expect(challenges[1]?.params).toEqual({});
  });

  it('returns nothing for an absent header', () => {
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});
