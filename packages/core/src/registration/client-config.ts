import type { PrivateKeyJwtSigner } from './private-key-jwt.ts';

/**
 * How the application identifies itself to authorization servers. MCP's order of preference:
 * a pre-registered client (`clientId`), a Client ID Metadata Document (`clientMetadataUrl`),
 * then dynamic registration (RFC 7591) with the metadata fields.
 *
 * @example
 * ```ts
 * import { type ClientConfig, createOAuthClient } from '@mcp-oauth/core';
 *
 * const client: ClientConfig = {
 *   clientMetadataUrl: 'https://app.example.com/oauth/client.json',
 *   clientName: 'My MCP app', // used if the server falls back to dynamic registration
 *   softwareVersion: '1.2.0',
 * };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', client });
 * ```
 */
export interface ClientConfig {
  /** A pre-registered client: used first, for the authorization server it was registered with. */
  clientId?: string;
  /** The pre-registered client's secret, for `client_secret_basic` / `client_secret_post`. */
  clientSecret?: string;
  /**
   * How the client authenticates at the token endpoint. A pre-registered client defaults to
   * client_secret_basic with a secret, private_key_jwt with a key, else none. For dynamic
   * registration it is the `token_endpoint_auth_method` asked for when the server lists it in
   * `token_endpoint_auth_methods_supported` (or lists none); otherwise, and for
   * `private_key_jwt` (which needs a pre-registered client), the usual choice: a public client
   * where allowed.
   */
  tokenEndpointAuthMethod?:
    | 'none'
    | 'client_secret_basic'
    | 'client_secret_post'
    | 'private_key_jwt';
  /**
   * For private_key_jwt: the client's private key, as `privateKeyJwt(key, { alg, kid })` from
   * `@mcp-oauth/core/private-key-jwt` makes it (a PKCS#8 PEM or a private JWK). The signing
   * code comes with that import, so applications without it do not bundle it; a PEM or JWK
   * given here as is is refused with an error that says so.
   */
  privateKey?: PrivateKeyJwtSigner;
  /** The issuer a pre-registered client belongs to. When set, it is never sent to another issuer. */
  issuer?: string;
  /** An https URL serving this client's Client ID Metadata Document; used as client_id where the server supports it. */
  clientMetadataUrl?: string;
  /** Metadata for dynamic registration (RFC 7591 §2 `client_name`), shown on consent screens. */
  clientName?: string;
  /** RFC 7591 §2 `client_uri`: the application's home page. */
  clientUri?: string;
  /** RFC 7591 §2 `logo_uri`: the application's logo. */
  logoUri?: string;
  /** RFC 7591 §2 `tos_uri`: the application's terms of service. */
  tosUri?: string;
  /** RFC 7591 §2 `policy_uri`: the application's privacy policy. */
  policyUri?: string;
  /** RFC 7591 §2 `contacts`: e-mail addresses of the people responsible for the application. */
  contacts?: string[];
  /**
   * RFC 7591 §2 `scope` for dynamic registration: the scopes the client will ask for, space
   * separated. Each authorization asks for the `scopes` option (or what the server suggests).
   */
  scope?: string;
  /** RFC 7591 §2 `software_id`: a stable identifier of the application across its registrations. */
  softwareId?: string;
  /** RFC 7591 §2 `software_version`. */
  softwareVersion?: string;
  /** Turn dynamic registration off (fail instead). */
  dynamicRegistration?: boolean;
  /** RFC 7591 §3: sent as a Bearer token when registering, for servers that require one. Never stored. */
  initialAccessToken?: string;
}

/**
 * A private JSON Web Key (RFC 7517), e.g. `{ kty: 'RSA', n, e, d, ... }`.
 *
 * @example
 * ```ts
 * import type { ClientConfig, PrivateJwk } from '@mcp-oauth/core';
 * import { privateKeyJwt } from '@mcp-oauth/core/private-key-jwt';
 *
 * declare const jwk: PrivateJwk; // e.g. JSON.parse of a key file
 * const client: ClientConfig = {
 *   clientId: 'my-service',
 *   tokenEndpointAuthMethod: 'private_key_jwt',
 *   privateKey: privateKeyJwt(jwk),
 * };
 * ```
 */
export interface PrivateJwk {
  /** The key type: `RSA`, `EC` or `OKP`. */
  kty: string;
  /** The JWS algorithm the key is for (RFC 7517 §4.4). */
  alg?: string;
  /** The key id (RFC 7517 §4.5). */
  kid?: string;
  [parameter: string]: unknown;
}
