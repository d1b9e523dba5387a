import { describe, expect, it } from 'vitest';
import { describeEvent } from '../src/describe-event.ts';

describe('describeEvent', () => {
  const discovery = {
    type: 'discovery' as const,
    resource: 'https://mcp.example.com/mcp',
    issuer: 'https://as.example.com',
    authorizationServerMetadataUrl: 'https://as.example.com/.well-known/oauth-authorization-server',
    cached: false,
  };

  it('names where the resource metadata was read', () => {
    expect(
      describeEvent({
        ...discovery,
        resourceMetadataUrl: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
      }),
    ).toBe(
      'Discovered the authorization server https://as.example.com (resource metadata https://mcp.example.com/.well-known/oauth-protected-resource/mcp).',
    );
  });

  it('says when there was none (MCP 2025-03-26 discovery), and what to check', () => {
    expect(describeEvent({ ...discovery, resourceMetadataUrl: '' })).toBe(
      'No protected resource metadata at https://mcp.example.com/mcp: taking its origin https://as.example.com as the authorization server (MCP 2025-03-26). If this is not an MCP server, check the URL.',
    );
  });

  it('says it again when that discovery comes from the cache, and not for others', () => {
    expect(describeEvent({ ...discovery, resourceMetadataUrl: '', cached: true })).toBe(
      'Using the cached discovery for https://mcp.example.com/mcp: no protected resource metadata, so its origin https://as.example.com is the authorization server (MCP 2025-03-26). If this is not an MCP server, check the URL.',
    );
    expect(
      describeEvent({
        ...discovery,
        resourceMetadataUrl: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
        cached: true,
      }),
    ).toBe(
      'Using the cached discovery for https://mcp.example.com/mcp (authorization server https://as.example.com).',
    );
    expect(
      describeEvent(
        { ...discovery, resourceMetadataUrl: '', authorizationServerMetadataUrl: '', cached: true },
        { endpointsGiven: true },
      ),
    ).toBe(
      'Using the cached discovery for https://mcp.example.com/mcp (authorization server https://as.example.com).',
    );
  });

  it('with the endpoints given by hand (--issuer), says so', () => {
    expect(
      describeEvent(
        { ...discovery, resourceMetadataUrl: '', authorizationServerMetadataUrl: '' },
        { endpointsGiven: true },
      ),
    ).toBe(
      'Using the authorization server https://as.example.com with the endpoints given (--issuer).',
    );
  });

  it('names the server whose tokens were refreshed (status goes through several)', () => {
    expect(
      describeEvent({
        type: 'refreshed',
        issuer: 'https://as.example.com',
        resource: 'https://mcp.example.com/mcp',
        expiresAt: undefined,
        rotated: true,
      }),
    ).toBe('Refreshed the tokens for https://mcp.example.com/mcp (the refresh token was rotated).');
  });
});
