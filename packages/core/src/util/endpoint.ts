import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { assertSecureUrl } from './secure-url.ts';

type EndpointField =
  | 'authorization_endpoint'
  | 'token_endpoint'
  | 'revocation_endpoint'
  | 'introspection_endpoint'
  | 'device_authorization_endpoint'
  | 'registration_endpoint';

/**
 * An endpoint of the authorization server, checked before any request is sent to it:
 * present, and https (http only on loopback or with allowInsecureHttp). oauth4webapi's
 * own scheme check is turned off because of the loopback exception, so every request
 * goes through here. Missing, it is `missing()`, by default an invalid-metadata error.
 */
export function requireEndpoint(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  field: EndpointField,
  missing?: () => McpOAuthError,
): string {
  const value = as[field];
  if (typeof value !== 'string' || !value)
    throw (
      missing?.() ??
      new McpOAuthError(
        'authorization_server_metadata_invalid',
        `The authorization server ${as.issuer} has no ${field}.`,
      )
    );
  return assertSecureUrl(value, `The ${field.replace(/_/g, ' ')}`, ctx.allowInsecureHttp).href;
}
