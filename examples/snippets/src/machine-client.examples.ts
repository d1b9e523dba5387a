// A machine client (agent platform, gateway): client credentials, tokens in Vault shared by
// every replica, one refresh at a time across them. (core README, store-vault README)
import { createOAuthClient } from '@mcp-oauth/core';
import { clientCredentials } from '@mcp-oauth/core/client-credentials';
import { dpop } from '@mcp-oauth/core/dpop';
import { vaultStore } from '@mcp-oauth/store-vault';
import { createFetch } from '@mcp-oauth/transport-fetch';

export function gatewayClient(serverUrl: string, tenant: string) {
  return createOAuthClient({
    serverUrl,
    store: vaultStore({ namespace: tenant }),
    // server-side: URLs from MCP servers must not lead to internal addresses
    fetch: createFetch({ blockPrivateNetworks: true }),
    client: {
      clientId: 'gateway',
      clientSecret: process.env.GATEWAY_SECRET ?? '',
      issuer: 'https://auth.example.com',
    },
    interaction: clientCredentials(), // no person: the client's own credentials
    dpop: dpop(), // sender-constrained tokens wherever the authorization server offers DPoP
  });
}
