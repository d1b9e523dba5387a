import { describe, expect, it } from 'vitest';
import {
  canonicalResource,
  requestIsForResource,
  resourceCovers,
} from '../../src/discovery/canonical-resource.ts';
import { McpOAuthError } from '../../src/errors/error.ts';

describe('canonicalResource', () => {
  it('lower-cases scheme and host, drops default port, fragment, query and a lone slash', () => {
    expect(canonicalResource('HTTPS://MCP.Example.com:443/#x')).toBe('https://mcp.example.com');
    expect(canonicalResource('https://mcp.example.com/Server/MCP?x=1')).toBe(
      'https://mcp.example.com/Server/MCP',
    );
    expect(canonicalResource('http://127.0.0.1:8080/mcp')).toBe('http://127.0.0.1:8080/mcp');
  });

  it('rejects non-http schemes and credentials with a typed error', () => {
    expect(() => canonicalResource('ftp://x')).toThrow(McpOAuthError);
    expect(() => canonicalResource('https://u:p@x/mcp')).toThrow(/credentials/);
    expect(() => canonicalResource('not a url')).toThrow(/not a valid/);
  });
});

describe('resourceCovers', () => {
  it('accepts the same resource and a parent at a path boundary', () => {
    expect(resourceCovers('https://h/mcp', 'https://h/mcp')).toBe(true);
    expect(resourceCovers('https://h', 'https://h/mcp')).toBe(true);
    expect(resourceCovers('https://h/api', 'https://h/api/mcp')).toBe(true);
  });

  it('refuses other origins, siblings and prefixes that are not path boundaries', () => {
    expect(resourceCovers('https://evil.example/mcp', 'https://h/mcp')).toBe(false);
    expect(resourceCovers('https://h/mcp-other', 'https://h/mcp')).toBe(false);
    expect(resourceCovers('https://h/mc', 'https://h/mcp')).toBe(false);
    expect(resourceCovers('https://h/mcp/sub', 'https://h/mcp')).toBe(false);
    expect(resourceCovers('http://h/mcp', 'https://h/mcp')).toBe(false);
  });

  it('decides which requests may carry the token', () => {
    expect(requestIsForResource('https://h/mcp?session=1', 'https://h/mcp')).toBe(true);
    expect(requestIsForResource('https://other/mcp', 'https://h/mcp')).toBe(false);
    expect(requestIsForResource('garbage', 'https://h/mcp')).toBe(false);
  });
});
