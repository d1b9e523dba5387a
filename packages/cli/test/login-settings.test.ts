// What a later login of a name keeps of the settings its earlier logins were given.
import { describe, expect, it } from 'vitest';
import type { CliAliasRecord } from '../src/aliases.ts';
import { type LoginOptions, serverSettings } from '../src/commands/login-settings.ts';

const kept = (settings: CliAliasRecord['settings']): CliAliasRecord => ({
  v: 1,
  kind: 'alias',
  name: 'dev',
  serverUrl: 'https://mcp.example.com/mcp',
  createdAt: 0,
  ...(settings ? { settings } : {}),
});
const flags = (given: Partial<LoginOptions>): LoginOptions => ({
  timeout: '300',
  qr: true,
  ...given,
});

describe('serverSettings: a later login of a name', () => {
  it('keeps what it is not given again, and takes the flags given now', () => {
    const settings = serverSettings(
      flags({ dpop: 'off' }),
      {},
      kept({ scopes: ['mcp:read'], dpop: 'always', clientId: 'app' }),
    );
    expect(settings).toEqual({ scopes: ['mcp:read'], dpop: 'off', clientId: 'app' });
  });

  it('a metadata document URL given now replaces a kept client id and its secret', () => {
    const settings = serverSettings(
      flags({ clientMetadataUrl: 'https://app.example/client.json' }),
      {},
      kept({ clientId: 'old-app', clientSecret: 'old-secret', scopes: ['mcp:read'] }),
    );
    expect(settings).toEqual({
      clientMetadataUrl: 'https://app.example/client.json',
      scopes: ['mcp:read'],
    });
  });

  it('a client id given now replaces a kept metadata document URL and a kept secret', () => {
    const settings = serverSettings(
      flags({ clientId: 'new-app' }),
      {},
      kept({ clientMetadataUrl: 'https://app.example/client.json', clientSecret: 'old' }),
    );
    expect(settings).toEqual({ clientId: 'new-app' });
    // with its own secret from the environment
    expect(
      serverSettings(flags({ clientId: 'new-app' }), { MCP_OAUTH_CLIENT_SECRET: 's' }, undefined),
    ).toEqual({ clientId: 'new-app', clientSecret: 's' });
  });
});
