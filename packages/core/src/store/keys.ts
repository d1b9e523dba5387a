/**
 * Store keys written by core. Keys are plain strings; stores treat them as opaque.
 * - `discovery:<resource>`  the resource's metadata and its authorization server's
 * - `client:<issuer>`       a client registration, bound to one issuer
 * - `tokens:<issuer> <resource>` tokens, bound to (issuer, resource)
 * - `alias:<name>`          a user-facing name for a server URL (CLI, high-level API)
 * - `binding:<client id>`  the issuer a pre-registered client was first used with
 * - `dpop:<issuer> <resource>` the DPoP key pair tokens for them are bound to
 */
export const storeKeys = {
  discovery: (resource: string) => `discovery:${resource}`,
  client: (issuer: string) => `client:${issuer}`,
  tokens: (issuer: string, resource: string) => `tokens:${issuer} ${resource}`,
  alias: (name: string) => `alias:${name}`,
  binding: (clientId: string) => `binding:${clientId}`,
  dpopKey: (issuer: string, resource: string) => `dpop:${issuer} ${resource}`,
} as const;
