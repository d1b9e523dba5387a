import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { asTransportError, safeUrl } from '../http/guarded-fetch.ts';
import type { ClientRecord } from '../store/records.ts';
import { assertSecureUrl } from '../util/secure-url.ts';

/**
 * RFC 7592 client configuration management, with the registration access token
 * the server returned at registration. Read returns the server's current metadata
 * (the secret and registration token are left out of what is returned).
 */
export async function manageRegistration(
  ctx: FlowContext,
  client: ClientRecord,
  operation:
    | { method: 'GET' }
    | { method: 'PUT'; metadata: Record<string, unknown> }
    | { method: 'DELETE' },
): Promise<Record<string, unknown> | undefined> {
  if (!client.registrationClientUri || !client.registrationAccessToken) {
    throw new McpOAuthError(
      'registration_management_failed',
      `The client ${client.clientId} has no registration access token or client configuration URI; the server does not offer RFC 7592 management for it.`,
    );
  }
  const url = assertSecureUrl(
    client.registrationClientUri,
    'The client configuration endpoint',
    ctx.allowInsecureHttp,
  ).href;
  const init: RequestInit = {
    method: operation.method,
    headers: {
      authorization: `Bearer ${client.registrationAccessToken}`,
      accept: 'application/json',
      ...(operation.method === 'PUT' ? { 'content-type': 'application/json' } : {}),
    },
  };
  if (operation.method === 'PUT') {
    // RFC 7592 §2.2: the request carries client_id and all metadata; not the registration token fields.
    // RFC 7592 §2.2: these fields are the server's and MUST NOT be sent back.
    const {
      registration_access_token: _t,
      registration_client_uri: _u,
      client_secret_expires_at: _e,
      client_id_issued_at: _i,
      ...metadata
    } = operation.metadata;
    init.body = JSON.stringify({
      ...metadata,
      client_id: client.clientId,
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    });
  }
  let response: Response;
  try {
    response = await ctx.oauthFetch(url, init);
  } catch (cause) {
    throw asTransportError(cause, url);
  }
  if (operation.method === 'DELETE') {
    if (response.status === 204 || response.status === 200) return undefined;
  } else if (response.status === 200) {
    const body = (await response.json().catch(() => undefined)) as
      | Record<string, unknown>
      | undefined;
    if (!body || typeof body !== 'object')
      throw new McpOAuthError(
        'invalid_response',
        `The client configuration endpoint ${safeUrl(url)} returned no JSON object.`,
      );
    return body;
  }
  const body = (await response.json().catch(() => ({}))) as {
    error?: string;
    error_description?: string;
  };
  throw new McpOAuthError(
    'registration_management_failed',
    `${operation.method} on the client configuration endpoint ${safeUrl(url)} failed with HTTP ${response.status}${body.error ? ` (${body.error})` : ''}.`,
    {
      status: response.status,
      ...(body.error ? { oauthError: body.error } : {}),
      ...(body.error_description ? { oauthErrorDescription: body.error_description } : {}),
    },
  );
}

/** Strips secrets from metadata returned by the server, for display. */
export function publicRegistrationMetadata(
  metadata: Record<string, unknown>,
): Record<string, unknown> {
  const { client_secret: _s, registration_access_token: _t, ...rest } = metadata;
  return rest;
}

/** The stored client updated with what the server answered (the same object when nothing changed). */
export function withRegistrationAnswer(
  record: ClientRecord,
  answer: Record<string, unknown>,
): ClientRecord {
  const next = { ...record };
  if (typeof answer.client_secret === 'string') next.clientSecret = answer.client_secret;
  if (typeof answer.registration_access_token === 'string')
    next.registrationAccessToken = answer.registration_access_token;
  if (typeof answer.registration_client_uri === 'string')
    next.registrationClientUri = answer.registration_client_uri;
  if (Array.isArray(answer.redirect_uris)) next.redirectUris = answer.redirect_uris as string[];
  if (Array.isArray(answer.grant_types)) next.grantTypes = answer.grant_types as string[];
  const changed = (Object.keys(next) as (keyof ClientRecord)[]).some(
    (k) => JSON.stringify(next[k]) !== JSON.stringify(record[k]),
  );
  return changed ? next : record;
}
