/**
 * Store keys written by core. Keys are plain strings; stores treat them as opaque.
 * - `discovery:<resource>`  the resource's metadata and its authorization server's
 * - `client:<issuer>`       a client registration, bound to one issuer
 * - `tokens:<issuer> <resource>` tokens, bound to (issuer, resource)
 * - `alias:<name>`          a user-facing name for a server URL (CLI, high-level API)
 * - `binding:<client id>`  the issuer a pre-registered client was first used with
 * - `dpop:<issuer> <resource>` the DPoP key pair tokens for them are bound to
 *
 * @example
 * ```ts
 * import { storeKeys, type TokenStore } from '@mcp-oauth/core/store';
 *
 * declare const store: TokenStore;
 * const tokens = await store.get(storeKeys.tokens('https://as.example.com', 'https://mcp.example.com/mcp'));
 * const aliases = await store.list(storeKeys.alias(''));
 * ```
 */
export const storeKeys = {
  /** The discovery record of a resource (its canonical URI). */
  discovery: (resource: string) => `discovery:${resource}`,
  /** The client registration for an issuer. */
  client: (issuer: string) => `client:${issuer}`,
  /** The tokens for an (issuer, resource) pair. */
  tokens: (issuer: string, resource: string) => `tokens:${issuer} ${resource}`,
  /** A user-facing server name. */
  alias: (name: string) => `alias:${name}`,
  /** The issuer a pre-registered client id is bound to. */
  binding: (clientId: string) => `binding:${clientId}`,
  /** The DPoP key pair for an (issuer, resource) pair. */
  dpopKey: (issuer: string, resource: string) => `dpop:${issuer} ${resource}`,
} as const;
