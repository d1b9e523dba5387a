import type { ClientConfig, Interaction } from '@mcp-oauth/core';
import { enterpriseManaged } from '@mcp-oauth/core/enterprise';
import { privateKeyJwt } from '@mcp-oauth/core/private-key-jwt';
import { workloadIdentity } from '@mcp-oauth/core/workload';

/**
 * The scenario's credentials, as the conformance referee hands them to a client
 * in `MCP_CONFORMANCE_CONTEXT`. Only the fields a user would put in a client
 * configuration are read; the scenario's name (`name`) is deliberately ignored.
 */
export interface ConformanceContext {
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: string;
  issuer?: string;
  /** Enterprise-managed authorization: the user's ID token and the IdP that issued it. */
  idp_id_token?: string;
  idp_issuer?: string;
  idp_client_id?: string;
  idp_token_endpoint?: string;
  /** Workload identity federation: the workload's platform token. */
  valid_jwt?: string;
  [field: string]: unknown;
}

/**
 * This client's Client ID Metadata Document URL. The referee's CIMD scenario
 * expects exactly this URL (it stands for a document the client would host);
 * core uses it only where the authorization server advertises
 * `client_id_metadata_document_supported`.
 */
export const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

export function readContext(env: Record<string, string | undefined>): ConformanceContext {
  const raw = env.MCP_CONFORMANCE_CONTEXT;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('MCP_CONFORMANCE_CONTEXT is not a JSON object.');
  return parsed as ConformanceContext;
}

/** Maps the context to core's ClientConfig: configuration, the way a user would write it. */
export function clientConfigFrom(context: ConformanceContext): ClientConfig {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const clientId = str(context.client_id);
  const clientSecret = str(context.client_secret);
  const privateKey = str(context.private_key_pem);
  const alg = str(context.signing_algorithm);
  const issuer = str(context.issuer);
  return {
    clientName: 'mcp-oauth conformance client',
    clientMetadataUrl: CLIENT_METADATA_URL,
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(privateKey ? { privateKey: privateKeyJwt(privateKey, alg ? { alg } : {}) } : {}),
    ...(issuer ? { issuer } : {}),
  };
}

/**
 * The interactions the context's credentials allow beyond the redirect and client
 * credentials ones, as a user would configure them: an ID token from an enterprise IdP
 * (enterprise-managed authorization), a workload's platform token (workload identity).
 */
export function extraInteractionsFrom(context: ConformanceContext): Interaction[] {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const interactions: Interaction[] = [];
  const idToken = str(context.idp_id_token);
  const idpIssuer = str(context.idp_issuer);
  const idpClientId = str(context.idp_client_id);
  if (idToken && idpIssuer && idpClientId) {
    const tokenEndpoint = str(context.idp_token_endpoint);
    interactions.push(
      enterpriseManaged({
        idp: {
          issuer: idpIssuer,
          clientId: idpClientId,
          ...(tokenEndpoint ? { tokenEndpoint } : {}),
        },
        idToken,
      }),
    );
  }
  const workloadToken = str(context.valid_jwt);
  if (workloadToken) interactions.push(workloadIdentity({ token: () => workloadToken }));
  return interactions;
}
