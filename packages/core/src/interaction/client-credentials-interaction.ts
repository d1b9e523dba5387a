import { clientCredentialsGrant } from '../grants/client-credentials-grant.ts';
import type { ClientCredentialsInteraction } from './types.ts';

/**
 * The client credentials grant (the MCP client-credentials extension): no person, the
 * pre-registered client's secret or private key (`client: { clientId, clientSecret }` or
 * `{ clientId, privateKey }`). Alone, or after a redirect interaction as the fallback for
 * servers that offer only client credentials.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { clientCredentials } from '@mcp-oauth/core/client-credentials';
 *
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   client: { clientId: 'reporting-job', clientSecret: 'from-your-secret-store' },
 *   interaction: clientCredentials(),
 * });
 * const token = await oauth.getAccessToken();
 * ```
 */
export function clientCredentials(): ClientCredentialsInteraction {
  return {
    kind: 'client-credentials',
    grant: { grantType: 'client_credentials', token: clientCredentialsGrant },
    unusable: (config) =>
      config.clientId && (config.clientSecret || config.privateKey)
        ? undefined
        : 'The client credentials grant needs a pre-registered client id with a secret or a private key.',
  };
}
