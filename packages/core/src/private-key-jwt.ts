// @mcp-oauth/core/private-key-jwt: private_key_jwt client authentication (RFC 7523 §2.2), for
// pre-registered clients that prove themselves with a private key instead of a secret:
// `client: { clientId, privateKey: privateKeyJwt(pem) }`. Applications that do not import it do
// not bundle its signing code.
export type { PrivateJwk } from './registration/client-config.ts';
export {
  type PrivateKeyJwtOptions,
  type PrivateKeyJwtSigner,
  privateKeyJwt,
} from './registration/private-key-jwt.ts';
