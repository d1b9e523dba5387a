import { JWT_BEARER_GRANT_TYPE, jwtBearerGrant } from '../grants/jwt-bearer.ts';
import { readAssertion } from './read-assertion.ts';
import type { WorkloadIdentityInteraction } from './types.ts';

/**
 * Options of {@link workloadIdentity}.
 *
 * @example
 * ```ts
 * import { workloadIdentity, type WorkloadIdentityOptions } from '@mcp-oauth/core/workload';
 *
 * declare function readPlatformToken(): Promise<string>; // e.g. a CI job's OIDC token
 * const options: WorkloadIdentityOptions = { token: readPlatformToken };
 * const interaction = workloadIdentity(options);
 * ```
 */
export interface WorkloadIdentityOptions {
  /**
   * The JWT the workload's platform issued it (a Kubernetes projected service account
   * token, a cloud metadata service's identity token, a CI job's OIDC token), with the MCP
   * server's authorization server as its audience. Called again for every token request,
   * since such tokens rotate: read the file or ask the platform each time.
   */
  token: () => string | Promise<string>;
}

/**
 * Workload identity federation: the workload presents its platform's JWT as an RFC 7523
 * JWT bearer assertion (§2.1) to the MCP server's authorization server, which trusts that
 * platform as an issuer. No person and no client secret: the client is usually public
 * (`client: { clientId }`). When the tokens expire, the grant runs again with the platform's
 * current token. A refused assertion (`invalid_grant`, `invalid_scope`,
 * `unauthorized_client`) is reported as it is: never retried, never another grant.
 *
 * Core reads no files (it runs on every runtime): on Node, read the token in `token`.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { workloadIdentity } from '@mcp-oauth/core/workload';
 *
 * // the platform's token, read anew each time: on Node, fs.promises.readFile of
 * // /var/run/secrets/tokens/mcp-token (a Kubernetes projected service account token)
 * declare function readPlatformToken(): Promise<string>;
 *
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   client: { clientId: 'billing-agent' },
 *   interaction: workloadIdentity({ token: readPlatformToken }),
 * });
 * ```
 */
export function workloadIdentity(options: WorkloadIdentityOptions): WorkloadIdentityInteraction {
  return {
    kind: 'workload-identity',
    grant: {
      grantType: JWT_BEARER_GRANT_TYPE,
      token: async (ctx, args) =>
        jwtBearerGrant(ctx, args, await readAssertion(options.token, "The workload's token")),
    },
  };
}
