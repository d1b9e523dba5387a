/** How the application identifies itself to authorization servers. */
export interface ClientConfig {
  /** A pre-registered client: used first, for the authorization server it was registered with. */
  clientId?: string;
  clientSecret?: string;
  /** Defaults to client_secret_basic with a secret, private_key_jwt with a key, else none. */
  tokenEndpointAuthMethod?:
    | 'none'
    | 'client_secret_basic'
    | 'client_secret_post'
    | 'private_key_jwt';
  /** For private_key_jwt: a PKCS#8 PEM or a private JWK, and its algorithm (default RS256 / from the JWK). */
  privateKey?: string | PrivateJwk;
  privateKeyAlg?: string;
  privateKeyId?: string;
  /** The issuer a pre-registered client belongs to. When set, it is never sent to another issuer. */
  issuer?: string;
  /** An https URL serving this client's Client ID Metadata Document; used as client_id where the server supports it. */
  clientMetadataUrl?: string;
  /** Metadata for dynamic registration. */
  clientName?: string;
  clientUri?: string;
  logoUri?: string;
  softwareId?: string;
  softwareVersion?: string;
  /** Turn dynamic registration off (fail instead). */
  dynamicRegistration?: boolean;
  /** RFC 7591 §3: sent as a Bearer token when registering, for servers that require one. Never stored. */
  initialAccessToken?: string;
}

/** A private JSON Web Key (RFC 7517), e.g. `{ kty: 'RSA', n, e, d, ... }`. */
export interface PrivateJwk {
  kty: string;
  alg?: string;
  kid?: string;
  [parameter: string]: unknown;
}
