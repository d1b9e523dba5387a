import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { DEVICE_CODE_GRANT } from '../registration/dynamic-registration.ts';
import type { GrantKind } from './states.ts';

/**
 * The grant to use with this authorization server, once its metadata is known.
 * A grant the application did not choose explicitly (it followed from the
 * interaction) gives way to client credentials when the server advertises
 * `grant_types_supported` without the interactive grant but with
 * `client_credentials`, and the client has credentials (MCP client-credentials
 * extension: a machine client configured like any other). Otherwise unchanged.
 */
export function adaptGrant(
  grant: GrantKind,
  as: AuthorizationServerMetadata,
  config: ClientConfig,
): GrantKind {
  const supported = as.grant_types_supported;
  if (grant === 'client_credentials' || !Array.isArray(supported)) return grant;
  const interactive = grant === 'device_code' ? DEVICE_CODE_GRANT : 'authorization_code';
  if (supported.includes(interactive)) return grant;
  const hasCredentials = Boolean(config.clientId && (config.clientSecret || config.privateKey));
  return supported.includes('client_credentials') && hasCredentials ? 'client_credentials' : grant;
}
