import {
  dynamicClientRegistrationRequest,
  processDynamicClientRegistrationResponse,
  ResponseBodyError,
} from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import { fromOAuth4WebApi, REGISTRATION } from '../errors/from-oauth4webapi.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import type { FlowContext } from '../flow/context.ts';
import { markRetryable, REGISTRATION_REPEATS_AMBIGUOUS } from '../retry/policy.ts';
import type { ClientRecord } from '../store/records.ts';
import { asAuthorizationServer, requestOptions } from '../util/oauth4webapi.ts';
import { assertSecureUrl, isLoopbackUrl } from '../util/secure-url.ts';
import type { ClientConfig } from './client-config.ts';

/**
 * Picks the token endpoint auth method to ask for: the application's preference when the
 * server accepts it (and registration can set it up: not private_key_jwt), else a public
 * client where allowed.
 */
export function chooseAuthMethod(
  as: AuthorizationServerMetadata,
  preferred?: ClientConfig['tokenEndpointAuthMethod'],
): string {
  const supported = as.token_endpoint_auth_methods_supported;
  if (preferred && preferred !== 'private_key_jwt' && (!supported || supported.includes(preferred)))
    return preferred;
  if (!supported || supported.includes('none')) return 'none';
  if (supported.includes('client_secret_basic')) return 'client_secret_basic';
  if (supported.includes('client_secret_post')) return 'client_secret_post';
  return supported[0] ?? 'none';
}

/** RFC 7591 registration of this application with `as`. */
export async function registerDynamically(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  config: ClientConfig,
  redirectUris: string[],
  grantTypes: string[],
): Promise<ClientRecord> {
  if (!as.registration_endpoint) {
    throw new McpOAuthError(
      'registration_unsupported',
      `The authorization server ${as.issuer} offers neither dynamic registration nor Client ID Metadata Documents. Register a client by hand and pass its id (and secret) in the \`client.clientId\` option.`,
      { details: { issuer: as.issuer, option: 'client.clientId' satisfies OptionNamedByErrors } },
    );
  }
  assertSecureUrl(as.registration_endpoint, 'The registration endpoint', ctx.allowInsecureHttp);
  const native =
    redirectUris.length === 0 ||
    redirectUris.every((u) => isLoopbackUrl(new URL(u)) || !u.startsWith('http'));
  const metadata: Record<string, unknown> = {
    client_name: config.clientName ?? 'mcp-oauth client',
    redirect_uris: redirectUris,
    grant_types: grantTypes,
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: chooseAuthMethod(as, config.tokenEndpointAuthMethod),
    application_type: native ? 'native' : 'web',
  };
  if (config.clientUri) metadata.client_uri = config.clientUri;
  if (config.logoUri) metadata.logo_uri = config.logoUri;
  if (config.tosUri) metadata.tos_uri = config.tosUri;
  if (config.policyUri) metadata.policy_uri = config.policyUri;
  if (config.contacts?.length) metadata.contacts = config.contacts;
  if (config.scope) metadata.scope = config.scope;
  if (config.softwareId) metadata.software_id = config.softwareId;
  if (config.softwareVersion) metadata.software_version = config.softwareVersion;
  try {
    const registered = await registerOnce(ctx, as, metadata, config).catch(
      async (error: unknown) => {
        // MCP: a server applying OIDC redirect URI rules may refuse one application_type; try the other once.
        const refused =
          error instanceof ResponseBodyError &&
          ['invalid_redirect_uri', 'invalid_client_metadata'].includes(error.error);
        if (!refused) throw error;
        metadata.application_type = metadata.application_type === 'native' ? 'web' : 'native';
        return registerOnce(ctx, as, metadata, config);
      },
    );
    const record: ClientRecord = {
      v: 1,
      kind: 'client',
      issuer: as.issuer,
      source: 'dynamic-registration',
      clientId: registered.client_id,
      tokenEndpointAuthMethod: String(
        registered.token_endpoint_auth_method ?? metadata.token_endpoint_auth_method,
      ),
      redirectUris: Array.isArray(registered.redirect_uris)
        ? (registered.redirect_uris as string[])
        : redirectUris,
      grantTypes: Array.isArray(registered.grant_types)
        ? (registered.grant_types as string[])
        : grantTypes,
      registeredAt: ctx.now(),
    };
    if (typeof registered.client_secret === 'string')
      record.clientSecret = registered.client_secret;
    if (
      typeof registered.client_secret_expires_at === 'number' &&
      registered.client_secret_expires_at > 0
    ) {
      record.clientSecretExpiresAt = registered.client_secret_expires_at * 1000;
    }
    if (typeof registered.registration_access_token === 'string')
      record.registrationAccessToken = registered.registration_access_token;
    if (typeof registered.registration_client_uri === 'string')
      record.registrationClientUri = registered.registration_client_uri;
    return record;
  } catch (error) {
    let failure = fromOAuth4WebApi(error, REGISTRATION, as.registration_endpoint);
    // RFC 7591 §3: a server requiring an initial access token refuses others with 401 (RFC 6750):
    // the token is the way out, not a client registered by hand
    if (failure.status === 401)
      failure = new McpOAuthError(
        failure.code,
        `Dynamic client registration was refused with HTTP 401: ${config.initialAccessToken ? 'the initial access token is not accepted' : 'an initial access token may be needed'}.`,
        {
          cause: failure.cause,
          status: 401,
          ...(failure.oauthError ? { oauthError: failure.oauthError } : {}),
          ...(failure.oauthErrorDescription
            ? { oauthErrorDescription: failure.oauthErrorDescription }
            : {}),
        },
      );
    throw markRetryable(failure, REGISTRATION_REPEATS_AMBIGUOUS);
  }
}

async function registerOnce(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  metadata: Record<string, unknown>,
  { initialAccessToken }: ClientConfig,
) {
  const response = await dynamicClientRegistrationRequest(
    asAuthorizationServer(as),
    metadata as never,
    { ...requestOptions(ctx), ...(initialAccessToken ? { initialAccessToken } : {}) },
  );
  return processDynamicClientRegistrationResponse(await withSecretExpiry(response));
}

/**
 * RFC 7591 §3.2.1 requires `client_secret_expires_at` with a secret, but many
 * servers (and the MCP conformance referee) omit it. Read the omission as 0,
 * "does not expire", instead of refusing the registration; a secret the server
 * later rejects sends the client back through registration anyway.
 */
async function withSecretExpiry(response: Response): Promise<Response> {
  // anything but a 201 with a JSON object that has a secret is left to oauth4webapi to judge
  const fields: Record<string, unknown> | undefined =
    response.status === 201
      ? await response
          .clone()
          .json()
          .catch(() => undefined)
      : undefined;
  if (typeof fields?.client_secret !== 'string' || fields.client_secret_expires_at !== undefined)
    return response;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(JSON.stringify({ ...fields, client_secret_expires_at: 0 }), {
    status: 201,
    statusText: response.statusText,
    headers,
  });
}
