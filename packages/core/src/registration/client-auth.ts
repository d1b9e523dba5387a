import { McpOAuthError } from '../errors/error.ts';
import type { ClientRecord } from '../store/records.ts';
import { oauth } from '../util/oauth4webapi.ts';
import type { ClientConfig, PrivateJwk } from './client-config.ts';

/** oauth4webapi's client and client authentication for a resolved client. */
export async function clientAuthentication(
  client: ClientRecord,
  config: ClientConfig,
): Promise<{ client: oauth.Client; auth: oauth.ClientAuth }> {
  const oauthClient: oauth.Client = {
    client_id: client.clientId,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
  };
  switch (client.tokenEndpointAuthMethod) {
    case 'none':
      return { client: oauthClient, auth: oauth.None() };
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
          : oauth.ClientSecretPost(client.clientSecret);
      return { client: oauthClient, auth };
    }
    case 'private_key_jwt': {
      if (!config.privateKey) {
        throw new McpOAuthError(
          'invalid_configuration',
          `The client ${client.clientId} uses private_key_jwt but no privateKey was given.`,
        );
      }
      const key = await importPrivateKey(config);
      return {
        client: oauthClient,
        auth: oauth.PrivateKeyJwt(config.privateKeyId ? { key, kid: config.privateKeyId } : key),
      };
    }
    default:
      throw new McpOAuthError(
        'invalid_configuration',
        `The token endpoint auth method "${client.tokenEndpointAuthMethod}" is not supported.`,
      );
  }
}

async function importPrivateKey(config: ClientConfig) {
  const input = config.privateKey;
  try {
    if (typeof input === 'string') {
      // jose is loaded only by applications that use private_key_jwt (a separate chunk when bundled)
      const { importPKCS8 } = await import('jose');
      return await importPKCS8(input, config.privateKeyAlg ?? 'RS256', { extractable: false });
    }
    const jwk = input as PrivateJwk;
    const alg = config.privateKeyAlg ?? jwk.alg ?? 'RS256';
    const { importJWK } = await import('jose');
    const key = await importJWK(jwk, alg, { extractable: false });
    if (key instanceof Uint8Array) throw new Error('a symmetric key is not a private key');
    return key;
  } catch (cause) {
    throw new McpOAuthError(
      'invalid_configuration',
      'The private key for private_key_jwt could not be imported (expected a PKCS#8 PEM or a private JWK).',
      { cause },
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
export function clientSecretBasic(secret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    const credentials = `${formUrlEncode(client.client_id)}:${formUrlEncode(secret)}`;
    headers.set('authorization', `Basic ${btoa(credentials)}`);
  };
}

function formUrlEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
