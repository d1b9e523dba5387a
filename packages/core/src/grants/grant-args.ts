import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import type { ClientRecord } from '../store/records.ts';

/** What every grant needs: the server, the client and its credentials, the resource and scope. */
export interface GrantArgs {
  as: AuthorizationServerMetadata;
  client: ClientRecord;
  config: ClientConfig;
  resource: string;
  /** What the resource publishes (RFC 9728): with the server's metadata it decides on DPoP. */
  resourceMetadata: ProtectedResourceMetadata;
  scope: string | undefined;
}
