import { describe, expect, it } from 'vitest';
import { sameMetadataUrl } from '../../src/discovery/same-metadata-url.ts';

const SERVER = 'https://mcp.example/mcp';
const STORED = 'https://mcp.example/.well-known/oauth-protected-resource/mcp';

describe('sameMetadataUrl', () => {
  it('the same URL written differently is the same document', () => {
    for (const written of [
      STORED,
      'HTTPS://MCP.EXAMPLE/.well-known/oauth-protected-resource/mcp',
      'https://mcp.example:443/.well-known/oauth-protected-resource/mcp',
      'https://mcp.example/./.well-known/x/../oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource/mcp', // relative: resolved against the server, as discovery does
    ])
      expect(sameMetadataUrl(written, STORED, SERVER), written).toBe(true);
  });
  it('another document, a URL that does not parse, or nothing stored: not the same', () => {
    expect(
      sameMetadataUrl('https://mcp.example/.well-known/oauth-protected-resource', STORED, SERVER),
    ).toBe(false);
    expect(
      sameMetadataUrl(
        'https://other.example/.well-known/oauth-protected-resource/mcp',
        STORED,
        SERVER,
      ),
    ).toBe(false);
    expect(sameMetadataUrl('http://[::1', STORED, SERVER)).toBe(false);
    expect(sameMetadataUrl(STORED, '', SERVER)).toBe(false); // MCP 2025-03-26 discovery stores none
  });
});
