import { fetchAuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { JWT_BEARER_GRANT_TYPE, jwtBearerGrant } from '../grants/jwt-bearer.ts';
import { requestIdJag } from '../grants/token-exchange.ts';
import { assertSecureUrl } from '../util/secure-url.ts';
import { readAssertion } from './read-assertion.ts';
import type { EnterpriseManagedInteraction } from './types.ts';

/**
 * The enterprise identity provider, and this application's registration with it.
 *
 * @example
 * ```ts
 * import type { EnterpriseIdp } from '@mcp-oauth/core/enterprise';
 *
 * const idp: EnterpriseIdp = {
 *   issuer: 'https://acme.okta.com',
 *   clientId: 'my-app-at-okta',
 *   clientSecret: 'from-your-secret-store',
 *   tokenEndpointAuthMethod: 'client_secret_basic',
 * };
 * ```
 */
export interface EnterpriseIdp {
  /** The IdP's issuer identifier, e.g. `https://acme.okta.com`. */
  issuer: string;
  /** Its token endpoint. Default: discovered from `issuer` (RFC 8414, then OpenID Connect). */
  tokenEndpoint?: string;
  /** The client id this application has at the IdP (the audience of the user's ID token). */
  clientId: string;
  /** Its secret at the IdP, when it is a confidential client there. */
  clientSecret?: string;
  /** Default: `client_secret_post` with a secret, else `none` (a public client). */
  tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post';
}

/**
 * Options of {@link enterpriseManaged}: the IdP, and the user's ID token there, either as a
 * value (`idToken`) or a function asked on every authorization (`getIdToken`).
 *
 * @example
 * ```ts
 * import { enterpriseManaged, type EnterpriseManagedOptions } from '@mcp-oauth/core/enterprise';
 *
 * declare function currentIdToken(): Promise<string>; // the application's session's, refreshed
 * const options: EnterpriseManagedOptions = {
 *   idp: { issuer: 'https://acme.okta.com', clientId: 'my-app-at-okta' },
 *   getIdToken: currentIdToken,
 * };
 * const interaction = enterpriseManaged(options);
 * ```
 */
export type EnterpriseManagedOptions = {
  /** The enterprise IdP that exchanges the ID token for an ID-JAG. */
  idp: EnterpriseIdp;
} & (
  | {
      /** The user's ID token from the IdP, as the application got it when the user signed in. */
      idToken: string;
      /** Not with `idToken`. */
      getIdToken?: never;
    }
  | {
      /**
       * A current ID token of the user, asked for on every authorization (ID tokens expire;
       * the IdP refuses to exchange an expired one): e.g. the application's session's, after
       * refreshing it.
       */
      getIdToken: () => string | Promise<string>;
      /** Not with `getIdToken`. */
      idToken?: never;
    }
);

/**
 * Enterprise-managed authorization (the MCP extension of SEP-990, "cross-app access"): an
 * application that already signs its users in with the enterprise IdP gets tokens for an
 * MCP server without showing a second consent.
 *
 * 1. The user's ID token is exchanged at the IdP (RFC 8693 token exchange) for an Identity
 *    Assertion JWT Authorization Grant (ID-JAG) whose audience is the MCP server's
 *    authorization server, for its resource and the scopes wanted; the IdP applies the
 *    enterprise's policy.
 * 2. The ID-JAG is presented to that authorization server with the RFC 7523 JWT bearer
 *    grant, by the client registered with it (`client: { clientId, clientSecret }`: the
 *    ID-JAG names that client id, so dynamic registration cannot stand in for it).
 *
 * When the tokens expire, both steps run again with a current ID token.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { enterpriseManaged } from '@mcp-oauth/core/enterprise';
 *
 * declare const chatSecret: string; // this client's secret at the MCP server's authorization server
 * declare const session: { idToken(): Promise<string> }; // the application's sign-in session
 *
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.chat.example/mcp',
 *   client: { clientId: 'chat-client', clientSecret: chatSecret },
 *   interaction: enterpriseManaged({
 *     idp: { issuer: 'https://acme.okta.com', clientId: 'my-app-at-okta' },
 *     getIdToken: () => session.idToken(),
 *   }),
 * });
 * ```
 */
export function enterpriseManaged(options: EnterpriseManagedOptions): EnterpriseManagedInteraction {
  const { idp } = options;
  const idToken = options.getIdToken ?? (() => options.idToken);
  if (!idp?.issuer || !idp.clientId || (typeof options.idToken !== 'string' && !options.getIdToken))
    throw new McpOAuthError(
      'invalid_configuration',
      'enterpriseManaged() needs idp.issuer, idp.clientId, and idToken or getIdToken.',
    );
  let tokenEndpoint: Promise<string> | undefined;
  const idpTokenEndpoint = (ctx: FlowContext): Promise<string> => {
    tokenEndpoint ??= findTokenEndpoint(ctx, idp).catch((error: unknown) => {
      tokenEndpoint = undefined; // discovered again next time
      throw error;
    });
    return tokenEndpoint;
  };
  return {
    kind: 'enterprise-managed',
    grant: {
      grantType: JWT_BEARER_GRANT_TYPE,
      async token(ctx, args) {
        const subjectToken = await readAssertion(idToken as () => string, "The user's ID token");
        const idJag = await requestIdJag(
          ctx,
          { ...idp, tokenEndpoint: await idpTokenEndpoint(ctx) },
          {
            idToken: subjectToken,
            audience: args.as.issuer,
            resource: args.resource,
            scope: args.scope,
          },
        );
        return jwtBearerGrant(ctx, args, idJag);
      },
    },
    unusable: (config) =>
      config.clientId
        ? undefined
        : "Enterprise-managed authorization needs the client registered with the MCP server's authorization server (`client.clientId`): the IdP names it in the ID-JAG.",
  };
}

async function findTokenEndpoint(ctx: FlowContext, idp: EnterpriseIdp): Promise<string> {
  assertSecureUrl(idp.issuer, 'The enterprise IdP', ctx.allowInsecureHttp);
  let endpoint = idp.tokenEndpoint;
  if (!endpoint) {
    const { metadata } = await fetchAuthorizationServerMetadata(ctx.oauthFetch, idp.issuer, {
      maxBytes: ctx.maxResponseBytes,
      // the IdP is not the MCP server's authorization server: MCP's PKCE rule is not its concern
      quirks: { ...ctx.quirks, assumePkceS256: true },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    endpoint = metadata.token_endpoint;
    if (!endpoint)
      throw new McpOAuthError(
        'authorization_server_metadata_invalid',
        `The enterprise IdP ${idp.issuer} publishes no token_endpoint: set idp.tokenEndpoint.`,
      );
  }
  return assertSecureUrl(endpoint, "The enterprise IdP's token endpoint", ctx.allowInsecureHttp)
    .href;
}
