import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import type { ClientRecord } from '../store/records.ts';
import type { ClientRequirements } from './resolve-client.ts';

/** The client of a Client ID Metadata Document: its URL is the client id (public, no secret). */
export function metadataDocumentClient(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  clientMetadataUrl: string,
  redirectUris: string[],
  needs: ClientRequirements,
): ClientRecord {
  assertClientMetadataUrl(clientMetadataUrl);
  return {
    v: 1,
    kind: 'client',
    issuer: as.issuer,
    source: 'client-id-metadata-document',
    clientId: clientMetadataUrl,
    tokenEndpointAuthMethod: 'none',
    redirectUris,
    grantTypes: needs.grantTypes,
    registeredAt: ctx.now(),
  };
}

/**
 * Client ID Metadata Documents: the client_id URL is https, has a path, and has no
 * dot segments, fragment, credentials or query.
 */
export function assertClientMetadataUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new McpOAuthError(
      'invalid_configuration',
      'The Client ID Metadata Document URL is not a valid URL.',
      { cause },
    );
  }
  const raw = value.split(/[?#]/)[0] ?? '';
  const problems = [
    url.protocol !== 'https:' && 'it must use https',
    url.pathname === '/' && 'it must have a path',
    /\/\.\.?(\/|$)/.test(raw.slice(raw.indexOf('//') + 2)) &&
      'it must not contain . or .. segments',
    value.includes('#') && 'it must not have a fragment',
    (url.username || url.password) && 'it must not contain credentials',
    url.search && 'it should not have a query',
  ].filter(Boolean);
  if (problems.length) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The Client ID Metadata Document URL is not usable: ${problems.join('; ')}.`,
    );
  }
}
