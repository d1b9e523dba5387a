import {
  type AuthorizationServer,
  genericTokenEndpointRequest,
  processGenericTokenEndpointResponse,
} from 'oauth4webapi';
import { McpOAuthError } from '../errors/error.ts';
import { fromOAuth4WebApi, type OAuthOperation } from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import { clientAuthentication } from '../registration/client-auth.ts';
import { markRetryable, TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS } from '../retry/policy.ts';
import { requestOptions } from '../util/oauth4webapi.ts';

/** RFC 8693 §2.1. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: an OpenID Connect ID token. */
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
/** Identity Assertion JWT Authorization Grant (draft-ietf-oauth-identity-assertion-authz-grant). */
export const ID_JAG_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';

/** Not a grant of ours: the IdP's refusal keeps its own code (`invalid_grant` is about the ID token). */
const TOKEN_EXCHANGE: OAuthOperation = [
  'token_exchange_failed',
  'The token exchange for an ID-JAG at the enterprise IdP',
];

/** The enterprise IdP as a token endpoint, and this client's registration with it. */
export interface IdpClient {
  /** The IdP's issuer identifier. */
  issuer: string;
  /** Its token endpoint (already checked: https, or http where allowed). */
  tokenEndpoint: string;
  /** The client id this application is registered with at the IdP. */
  clientId: string;
  clientSecret?: string | undefined;
  /** Default: `client_secret_post` with a secret (as the MCP SDK sends it), else `none`. */
  tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post' | undefined;
}

export interface IdJagRequest {
  /** The user's ID token from the IdP (the subject token). */
  idToken: string;
  /** The issuer of the MCP server's authorization server: the ID-JAG's audience. */
  audience: string;
  /** The MCP server's resource identifier (RFC 8707). */
  resource: string;
  scope?: string | undefined;
}

/**
 * Requests an Identity Assertion JWT Authorization Grant (ID-JAG) from the enterprise IdP by
 * RFC 8693 token exchange (SEP-990 step 2): the user's ID token as the subject token, the MCP
 * server's authorization server as the audience, its resource and the scopes wanted. Returns
 * the ID-JAG, to be presented with the RFC 7523 JWT bearer grant. The response must say it
 * issued an ID-JAG (`issued_token_type`); its `token_type` is `N_A` (RFC 8693 §2.2.1).
 */
export async function requestIdJag(
  ctx: FlowContext,
  idp: IdpClient,
  request: IdJagRequest,
): Promise<string> {
  const server: AuthorizationServer = { issuer: idp.issuer, token_endpoint: idp.tokenEndpoint };
  const { client, auth } = await clientAuthentication(
    {
      v: 1,
      kind: 'client',
      issuer: idp.issuer,
      source: 'pre-registered',
      clientId: idp.clientId,
      ...(idp.clientSecret ? { clientSecret: idp.clientSecret } : {}),
      tokenEndpointAuthMethod:
        idp.tokenEndpointAuthMethod ?? (idp.clientSecret ? 'client_secret_post' : 'none'),
      redirectUris: [],
      grantTypes: [TOKEN_EXCHANGE_GRANT_TYPE],
      registeredAt: ctx.now(),
    },
    {},
  );
  const parameters = new URLSearchParams({
    requested_token_type: ID_JAG_TOKEN_TYPE,
    audience: request.audience,
    resource: request.resource,
    subject_token: request.idToken,
    subject_token_type: ID_TOKEN_TYPE,
  });
  if (request.scope) parameters.set('scope', request.scope);
  let result: Awaited<ReturnType<typeof processGenericTokenEndpointResponse>>;
  try {
    const response = await genericTokenEndpointRequest(
      server,
      client,
      auth,
      TOKEN_EXCHANGE_GRANT_TYPE,
      parameters,
      requestOptions(ctx),
    );
    result = await processGenericTokenEndpointResponse(server, client, response, {
      // RFC 8693 §2.2.1: an issued token that is not an access token has token_type N_A
      recognizedTokenTypes: { n_a: () => {} },
    });
  } catch (error) {
    throw markRetryable(
      fromOAuth4WebApi(error, TOKEN_EXCHANGE),
      TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS,
    );
  }
  if (result.issued_token_type !== ID_JAG_TOKEN_TYPE) {
    throw new McpOAuthError(
      'invalid_response',
      `The enterprise IdP ${idp.issuer} answered the token exchange with ${String(result.issued_token_type ?? 'no issued_token_type')}, not an ID-JAG (${ID_JAG_TOKEN_TYPE}).`,
    );
  }
  return result.access_token;
}
