import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import type { ClientRecord } from '../store/records.ts';

/**
 * What every grant needs: the server, the client and its credentials, the resource and scope.
 * Core passes it to a `TokenGrant`'s `token` (and a device grant's `request` and `poll`).
 *
 * @example
 * ```ts
 * import type { TokenGrant } from '@mcp-oauth/core';
 * import type { GrantArgs } from '@mcp-oauth/core/flow';
 *
 * declare const grant: TokenGrant;
 * const describe = (args: GrantArgs): string =>
 *   `${grant.grantType} at ${args.as.token_endpoint} for ${args.resource} as ${args.client.clientId}`;
 * ```
 */
export interface GrantArgs {
  /** The authorization server's metadata (RFC 8414). */
  as: AuthorizationServerMetadata;
  /** The client registration for this server. */
  client: ClientRecord;
  /** The application's client configuration (credentials for client authentication). */
  config: ClientConfig;
  /** The canonical resource URI (RFC 8707), sent as `resource`. */
  resource: string;
  /** What the resource publishes (RFC 9728): with the server's metadata it decides on DPoP. */
  resourceMetadata: ProtectedResourceMetadata;
  /** The scopes to ask for, space-separated; undefined to ask for none. */
  scope: string | undefined;
}
