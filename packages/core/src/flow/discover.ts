import { fetchAuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { canonicalResource } from '../discovery/canonical-resource.ts';
import type { ConfiguredAuthorizationServer } from '../discovery/configured-authorization-server.ts';
import { fetchProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import { sameMetadataUrl } from '../discovery/same-metadata-url.ts';
import { McpOAuthError } from '../errors/error.ts';
import { withRetries } from '../retry/with-retries.ts';
import { storeKeys } from '../store/keys.ts';
import { type DiscoveryRecord, readRecord, toStoreRecord } from '../store/records.ts';
import { assertSecureUrl } from '../util/secure-url.ts';
import type { FlowContext } from './context.ts';

/**
 * Options of {@link discover}.
 *
 * @example
 * ```ts
 * import { type DiscoverOptions, discover, type FlowContext } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * const options: DiscoverOptions = { refresh: true, preferredIssuer: 'https://as.example.com' };
 * const record = await discover(ctx, 'https://mcp.example.com/mcp', options);
 * ```
 */
export interface DiscoverOptions {
  /** `resource_metadata` from a 401 challenge: fetched first, and a reason to bypass the cache. */
  resourceMetadataUrl?: string;
  /** Ignore the cached discovery record. */
  refresh?: boolean;
  /** Pick this issuer when the resource lists several authorization servers. */
  preferredIssuer?: string;
}

/**
 * RFC 9728 then RFC 8414 / OIDC discovery for `serverUrl`, cached in the store
 * under the resource. A cached record is reused with zero requests.
 *
 * @example
 * ```ts
 * import { discover, type FlowContext } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * const record = await discover(ctx, 'https://mcp.example.com/mcp');
 * console.log(record.issuer, record.authorizationServerMetadata.token_endpoint);
 * ```
 */
export async function discover(
  ctx: FlowContext,
  serverUrl: string,
  options: DiscoverOptions = {},
): Promise<DiscoveryRecord> {
  const resourceKey = canonicalResource(serverUrl);
  const key = storeKeys.discovery(resourceKey);
  const configured = ctx.authorizationServer;
  // the application's endpoints: loaded only by applications that give them
  const manual = configured && (await import('../discovery/configured-authorization-server.ts'));
  if (!options.refresh) {
    const cached = readRecord(await ctx.store.get(key), 'discovery', key);
    if (
      cached &&
      (!options.resourceMetadataUrl ||
        sameMetadataUrl(options.resourceMetadataUrl, cached.resourceMetadataUrl, serverUrl)) &&
      !manual?.replaces(configured as ConfiguredAuthorizationServer, cached)
    ) {
      return emitDiscovery(ctx, cached, true);
    }
  }
  // Tokens must not travel in clear text, and URLs from a server are checked before use (MCP BP).
  assertSecureUrl(serverUrl, 'The MCP server', ctx.allowInsecureHttp);
  if (options.resourceMetadataUrl)
    assertSecureUrl(
      options.resourceMetadataUrl,
      'The resource_metadata URL of the challenge',
      ctx.allowInsecureHttp,
    );
  let prm: Awaited<ReturnType<typeof fetchProtectedResourceMetadata>>;
  try {
    // metadata GETs: repeated after any transient failure (retry/policy.ts)
    prm = await withRetries(ctx, serverUrl, () =>
      fetchProtectedResourceMetadata(ctx.oauthFetch, serverUrl, {
        maxBytes: ctx.maxResponseBytes,
        ...(options.resourceMetadataUrl
          ? { resourceMetadataUrl: options.resourceMetadataUrl }
          : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }),
    );
  } catch (error) {
    // No RFC 9728 metadata anywhere (and no challenge named any): an MCP 2025-03-26 server.
    if (
      options.resourceMetadataUrl ||
      !McpOAuthError.is(error, 'resource_metadata_invalid') ||
      error.details.notFound !== true
    )
      throw error;
    return storeDiscovery(
      ctx,
      key,
      manual
        ? manual.configuredRecord(configured as ConfiguredAuthorizationServer, serverUrl, ctx)
        : await legacyRecord(ctx, serverUrl),
    );
  }
  const servers = prm.metadata.authorization_servers;
  const issuer = manual
    ? manual.configuredIssuerIn(configured as ConfiguredAuthorizationServer, servers, ctx.quirks)
    : options.preferredIssuer && servers.includes(options.preferredIssuer)
      ? options.preferredIssuer
      : servers[0];
  if (!issuer)
    throw new McpOAuthError(
      'resource_metadata_invalid',
      'The protected resource metadata lists no authorization server.',
    );
  assertSecureUrl(issuer, 'The authorization server', ctx.allowInsecureHttp);
  const lookUp = () =>
    withRetries(ctx, issuer, () =>
      fetchAuthorizationServerMetadata(ctx.oauthFetch, issuer, {
        maxBytes: ctx.maxResponseBytes,
        quirks: ctx.quirks,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }),
    );
  const asd = manual
    ? await manual.orConfigured(configured as ConfiguredAuthorizationServer, lookUp, ctx)
    : await lookUp();
  const record: DiscoveryRecord = {
    v: 1,
    kind: 'discovery',
    // the resource identifier exactly as published (RFC 9728 §3.3): it is what `resource` must carry
    resource: prm.metadata.resource,
    resourceMetadataUrl: prm.url,
    resourceMetadata: prm.metadata,
    issuer: asd.metadata.issuer,
    authorizationServerMetadataUrl: asd.url,
    authorizationServerMetadata: asd.metadata,
    discoveredAt: ctx.now(),
    ...(asd.url ? {} : { configured: true as const }),
  };
  return storeDiscovery(ctx, key, record);
}

async function legacyRecord(ctx: FlowContext, serverUrl: string): Promise<DiscoveryRecord> {
  // servers of MCP 2025-03-26 only: loaded when met
  const { fetchOriginMetadata2025 } = await import('../discovery/legacy-2025-03-26.ts');
  const legacy = await fetchOriginMetadata2025(ctx.oauthFetch, serverUrl, {
    probeFetch: ctx.fetch,
    maxBytes: ctx.maxResponseBytes,
    quirks: ctx.quirks,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  assertSecureUrl(legacy.metadata.issuer, 'The authorization server', ctx.allowInsecureHttp);
  return {
    v: 1,
    kind: 'discovery',
    resource: legacy.resourceMetadata.resource,
    resourceMetadataUrl: '',
    resourceMetadata: legacy.resourceMetadata,
    issuer: legacy.metadata.issuer,
    authorizationServerMetadataUrl: legacy.url,
    authorizationServerMetadata: legacy.metadata,
    discoveredAt: ctx.now(),
    legacy: '2025-03-26',
  };
}

async function storeDiscovery(
  ctx: FlowContext,
  key: string,
  record: DiscoveryRecord,
): Promise<DiscoveryRecord> {
  await ctx.store.set(key, toStoreRecord(record));
  return emitDiscovery(ctx, record, false);
}

function emitDiscovery(
  ctx: FlowContext,
  record: DiscoveryRecord,
  cached: boolean,
): DiscoveryRecord {
  ctx.emit({
    type: 'discovery',
    resource: record.resource,
    issuer: record.issuer,
    resourceMetadataUrl: record.resourceMetadataUrl,
    authorizationServerMetadataUrl: record.authorizationServerMetadataUrl,
    cached,
  });
  return record;
}
