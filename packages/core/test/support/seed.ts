import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { canonicalResource } from '../../src/discovery/canonical-resource.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { type ClientRecord, type TokensRecord, toStoreRecord } from '../../src/store/records.ts';
import type { TokenStore } from '../../src/store/types.ts';

/**
 * Puts a finished login into `store`, as a client would have left it: the discovery record
 * for `resource`, a client registration (when given) and tokens (when given). A client created
 * on this store then starts from there without any request.
 */
export async function seedLogin(
  store: TokenStore,
  args: {
    resource: string;
    as: AuthorizationServerMetadata;
    client?: Partial<ClientRecord> | undefined;
    tokens?: Partial<TokensRecord> | undefined;
    scopesSupported?: string[] | undefined;
  },
): Promise<void> {
  const { resource, as } = args;
  const url = new URL(resource);
  const resourceMetadataUrl = `${url.origin}/.well-known/oauth-protected-resource${url.pathname === '/' ? '' : url.pathname}`;
  await store.set(
    storeKeys.discovery(canonicalResource(resource)),
    toStoreRecord({
      v: 1,
      kind: 'discovery',
      resource,
      resourceMetadataUrl,
      resourceMetadata: {
        resource,
        authorization_servers: [as.issuer],
        ...(args.scopesSupported ? { scopes_supported: args.scopesSupported } : {}),
      },
      issuer: as.issuer,
      authorizationServerMetadataUrl: `${as.issuer}/.well-known/oauth-authorization-server`,
      authorizationServerMetadata: as,
      discoveredAt: 0,
    }),
  );
  if (args.client)
    await store.set(
      storeKeys.client(as.issuer),
      toStoreRecord({
        v: 1,
        kind: 'client',
        issuer: as.issuer,
        source: 'dynamic-registration',
        clientId: 'dyn',
        tokenEndpointAuthMethod: 'none',
        redirectUris: ['http://127.0.0.1:9/callback'],
        grantTypes: ['authorization_code', 'refresh_token'],
        registeredAt: 0,
        ...args.client,
      }),
    );
  if (args.tokens)
    await store.set(
      storeKeys.tokens(as.issuer, resource),
      toStoreRecord({
        v: 1,
        kind: 'tokens',
        issuer: as.issuer,
        resource,
        clientId: 'dyn',
        accessToken: 'at-1',
        tokenType: 'bearer',
        obtainedAt: 0,
        ...args.tokens,
      }),
    );
}
