import { type AuthorizationServer, allowInsecureRequests, customFetch } from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { FlowContext } from '../flow/context.ts';

/** oauth4webapi request options wired to our ports. */
export function requestOptions(ctx: FlowContext, additionalParameters?: Record<string, string>) {
  return {
    [customFetch]: ctx.oauthFetch as typeof fetch,
    [allowInsecureRequests]: true, // https is enforced by assertSecureUrl before any request
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(additionalParameters ? { additionalParameters } : {}),
  };
}

export function asAuthorizationServer(metadata: AuthorizationServerMetadata): AuthorizationServer {
  return metadata as unknown as AuthorizationServer;
}
