import { describe, expect, it } from 'vitest';
import { protectedResourceMetadataUrls } from '../../src/discovery/protected-resource.ts';

const WK = 'https://mcp.example.com/.well-known/oauth-protected-resource';

describe('protectedResourceMetadataUrls (RFC 9728 §3.1, MCP order)', () => {
  it('a path: the path-aware URL, then the root', () => {
    expect(protectedResourceMetadataUrls('https://mcp.example.com/mcp')).toEqual([`${WK}/mcp`, WK]);
  });

  it('the challenge URL first', () => {
    expect(
      protectedResourceMetadataUrls('https://mcp.example.com/mcp', 'https://meta.example/prm'),
    ).toEqual(['https://meta.example/prm', `${WK}/mcp`, WK]);
  });

  it('no path: the root only (the slash after the host is removed)', () => {
    expect(protectedResourceMetadataUrls('https://mcp.example.com/')).toEqual([WK]);
    expect(protectedResourceMetadataUrls('https://mcp.example.com')).toEqual([WK]);
  });

  it('a trailing slash is kept as RFC 9728 writes it, then the URL without it, then the root', () => {
    expect(protectedResourceMetadataUrls('https://mcp.example.com/mcp/')).toEqual([
      `${WK}/mcp/`,
      `${WK}/mcp`,
      WK,
    ]);
  });

  it('a query follows the path as RFC 9728 writes it, then the URL without it, then the root', () => {
    expect(protectedResourceMetadataUrls('https://mcp.example.com/mcp?tenant=a')).toEqual([
      `${WK}/mcp?tenant=a`,
      `${WK}/mcp`,
      WK,
    ]);
    expect(protectedResourceMetadataUrls('https://mcp.example.com/?tenant=a')).toEqual([
      `${WK}?tenant=a`,
      WK,
    ]);
  });
});
