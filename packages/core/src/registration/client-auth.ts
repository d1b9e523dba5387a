import { type Client, type ClientAuth, ClientSecretPost, None } from 'oauth4webapi';
import { McpOAuthError } from '../errors/error.ts';
import type { ClientRecord } from '../store/records.ts';
import type { ClientConfig } from './client-config.ts';

/** oauth4webapi's client and client authentication for a resolved client. */
export async function clientAuthentication(
  client: ClientRecord,
  config: ClientConfig,
): Promise<{ client: Client; auth: ClientAuth }> {
  const oauthClient: Client = {
    client_id: client.clientId,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
  };
  switch (client.tokenEndpointAuthMethod) {
    case 'none':
      return { client: oauthClient, auth: None() };
    case 'client_secret_basic':
    case 'client_secret_post': {
      if (!client.clientSecret) {
        throw new McpOAuthError(
          'invalid_configuration',
          `The client ${client.clientId} uses ${client.tokenEndpointAuthMethod} but has no secret.`,
        );
      }
      const auth =
        client.tokenEndpointAuthMethod === 'client_secret_basic'
          ? clientSecretBasic(client.clientSecret)
          : ClientSecretPost(client.clientSecret);
      return { client: oauthClient, auth };
    }
    case 'private_key_jwt': {
      const signer = config.privateKey;
      // none, or a PEM or JWK given as is: the signing code is an import of its own
      if ((signer as { kind?: unknown } | undefined)?.kind !== 'private_key_jwt' || !signer) {
        throw new McpOAuthError(
          'invalid_configuration',
          `The client ${client.clientId} uses private_key_jwt: pass its key as the \`client.privateKey\` option, privateKeyJwt(key, { alg, kid }) from @mcp-oauth/core/private-key-jwt.`,
          { details: { entry: '@mcp-oauth/core/private-key-jwt' } },
        );
      }
      return { client: oauthClient, auth: await signer.clientAuth() };
    }
    default:
      throw new McpOAuthError(
        'invalid_configuration',
        `The token endpoint auth method "${client.tokenEndpointAuthMethod}" is not supported.`,
      );
  }
}

/**
 * RFC 6749 §2.3.1 client_secret_basic: the id and secret are
 * application/x-www-form-urlencoded (WHATWG: `A-Z a-z 0-9 * - . _` stay as they
 * are), joined by a colon, then base64. oauth4webapi also escapes `-._~!'()*`,
 * which servers that do not decode (the MCP conformance referee, several real
 * ones) reject; both forms decode to the same value.
 */
export function clientSecretBasic(secret: string): ClientAuth {
  return (_as, client, _body, headers) => {
    const credentials = `${formUrlEncode(client.client_id)}:${formUrlEncode(secret)}`;
    headers.set('authorization', `Basic ${btoa(credentials)}`);
  };
}

function formUrlEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
