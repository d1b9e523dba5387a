import { assertRedirectUri } from '../authorization/check-redirect-uri.ts';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { withRetries } from '../retry/with-retries.ts';
import { storeKeys } from '../store/keys.ts';
import { type ClientRecord, readRecord, toStoreRecord } from '../store/records.ts';
import type { ClientConfig } from './client-config.ts';

export interface ClientRequirements {
  redirectUri?: string | undefined;
  grantTypes: string[];
  /**
   * At the start of an interactive authorization: confirm a stored dynamic registration
   * with its RFC 7592 configuration endpoint first, and register again if the server
   * forgot it (one request; never on the refresh path).
   */
  confirm?: boolean | undefined;
}

/**
 * Finds the client to use with `as`, in the MCP priority order:
 * 1. a pre-registered client the application supplied;
 * 2. a Client ID Metadata Document, when the server supports them and the app has one;
 * 3. a registration stored for this issuer (never one from another issuer), confirmed first
 *    when `needs.confirm` (a registration the server forgot is dropped);
 * 4. dynamic client registration, stored for next time.
 *
 * The redirect URI is checked first (`assertRedirectUri`), whichever way the client comes.
 */
export async function resolveClient(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  config: ClientConfig,
  needs: ClientRequirements,
): Promise<ClientRecord> {
  // before any registration: a redirect URI the rules refuse is never sent to the server
  if (needs.redirectUri) assertRedirectUri(needs.redirectUri);
  const redirectUris = needs.redirectUri ? [needs.redirectUri] : [];
  if (config.clientId && config.issuer && config.issuer !== as.issuer) {
    // MCP: credentials belong to the issuer that issued them; never send them elsewhere.
    throw new McpOAuthError(
      'invalid_configuration',
      `The client ${config.clientId} is bound to ${config.issuer}, not ${as.issuer} which now protects this server: register a client with it, or remove clientId to use dynamic registration.`,
      { details: { configuredIssuer: config.issuer, issuer: as.issuer } },
    );
  }
  if (config.clientId) {
    // loaded only for pre-registered clients configured without their issuer
    if (!config.issuer)
      await (await import('./bind-to-issuer.ts')).bindToIssuer(ctx, config.clientId, as.issuer);
    return {
      v: 1,
      kind: 'client',
      issuer: as.issuer,
      source: 'pre-registered',
      clientId: config.clientId,
      ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
      tokenEndpointAuthMethod:
        config.tokenEndpointAuthMethod ??
        (config.privateKey
          ? 'private_key_jwt'
          : config.clientSecret
            ? 'client_secret_basic'
            : 'none'),
      redirectUris,
      grantTypes: needs.grantTypes,
      registeredAt: ctx.now(),
    };
  }
  if (config.clientMetadataUrl && as.client_id_metadata_document_supported === true) {
    // loaded only by applications that have a Client ID Metadata Document
    const { metadataDocumentClient } = await import('./client-id-metadata-document.ts');
    return metadataDocumentClient(ctx, as, config.clientMetadataUrl, redirectUris, needs);
  }
  const key = storeKeys.client(as.issuer);
  let stored = readRecord(await ctx.store.get(key), 'client', key);
  if (needs.confirm && stored && stored.issuer === as.issuer && usable(stored, ctx.now(), needs)) {
    // forgotten and dropped: what another process may have registered meanwhile, else nothing
    // (RFC 7592 code, loaded only for this check at the start of an interactive authorization)
    const { confirmRegistration } = await import('./confirm-registration.ts');
    stored =
      (await confirmRegistration(ctx, stored)) ??
      readRecord(await ctx.store.get(key), 'client', key);
  }
  if (stored && stored.issuer === as.issuer && usable(stored, ctx.now(), needs)) return stored;
  if (config.dynamicRegistration === false) {
    throw new McpOAuthError(
      'registration_unsupported',
      `No client for ${as.issuer} and dynamic registration is off: pass a client id registered with it.`,
      { details: { issuer: as.issuer } },
    );
  }
  // once per authorization server: loaded when it is needed, not in the application's first chunk
  const { registerDynamically } = await import('./dynamic-registration.ts');
  // repeated only when the server certainly did not act on it (an orphan client otherwise)
  // a registration this one replaces (made for another flow or redirect URI): the new one asks
  // for what it had too, so that the flows stop replacing each other, and it is kept for the
  // tokens it was issued, until a login replaces them
  const replaced =
    stored?.source === 'dynamic-registration' && stored.issuer === as.issuer ? stored : undefined;
  const union = (a: string[], b: string[] = []) => [...new Set([...a, ...b])];
  const record = await withRetries(ctx, as.registration_endpoint ?? as.issuer, () =>
    registerDynamically(
      ctx,
      as,
      config,
      union(redirectUris, replaced?.redirectUris),
      union(needs.grantTypes, replaced?.grantTypes),
    ),
  );
  if (replaced) {
    const { previous: _, ...kept } = replaced;
    record.previous = kept;
  }
  await ctx.store.set(key, toStoreRecord(record));
  ctx.emit({
    type: 'registered',
    issuer: as.issuer,
    clientId: record.clientId,
    source: record.source,
  });
  return record;
}

function usable(client: ClientRecord, now: number, needs: ClientRequirements): boolean {
  if (client.clientSecretExpiresAt && client.clientSecretExpiresAt <= now) return false;
  if (!needs.grantTypes.every((g) => client.grantTypes.includes(g))) return false;
  if (!needs.redirectUri) return true;
  return client.redirectUris.some((u) => sameRedirect(u, needs.redirectUri as string));
}

/** RFC 8252 §7.3: loopback redirect URIs match whatever their port. */
function sameRedirect(registered: string, wanted: string): boolean {
  if (registered === wanted) return true;
  try {
    const a = new URL(registered);
    const b = new URL(wanted);
    return (
      a.protocol === 'http:' &&
      a.hostname === b.hostname &&
      ['127.0.0.1', '[::1]'].includes(a.hostname) &&
      a.pathname === b.pathname
    );
  } catch {
    return false;
  }
}
