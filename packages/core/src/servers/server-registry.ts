import { createOAuthClient } from '../client/create-client.ts';
import type { TokenInfo } from '../client/token-info.ts';
import type { McpOAuthClient, OAuthClientOptions } from '../client/types.ts';
import { canonicalResource } from '../discovery/canonical-resource.ts';
import { McpOAuthError } from '../errors/error.ts';
import { storeKeys } from '../store/keys.ts';
import type { AliasRecord } from '../store/records.ts';
import type { TokenStore } from '../store/types.ts';
import { type ServerTokenState, serverTokenState } from './server-status.ts';

/**
 * Options of {@link createServerRegistry}: every client option but the server, shared by all.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@mcp-oauth/core';
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 * import { createServerRegistry, type ServerRegistryOptions } from '@mcp-oauth/core/servers';
 *
 * const options: ServerRegistryOptions = {
 *   store: memoryStore(),
 *   interaction: deviceInteraction({ prompt: ({ verificationUri, userCode }) => console.error(verificationUri, userCode) }),
 *   client: { clientName: 'My MCP app' },
 * };
 * const servers = createServerRegistry(options);
 * ```
 */
export interface ServerRegistryOptions extends Omit<OAuthClientOptions, 'serverUrl' | 'store'> {
  /** The one store holding every server's names, registrations and tokens. */
  store: TokenStore;
}

/**
 * One named server, as {@link ServerRegistry.list} reports it. Never carries a token.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@mcp-oauth/core';
 * import { createServerRegistry, type NamedServer } from '@mcp-oauth/core/servers';
 *
 * const servers = createServerRegistry({ store: memoryStore() });
 * const needLogin: NamedServer[] = (await servers.list()).filter((s) => s.state === 'login-needed');
 * for (const server of needLogin) console.error(`${server.name} (${server.serverUrl}) needs a login`);
 * ```
 */
export interface NamedServer {
  /** The name given with `add`. */
  name: string;
  /** The canonical MCP server URL the name stands for. */
  serverUrl: string;
  /** Where its tokens stand, judged from the store alone. */
  state: ServerTokenState;
  /** Redacted information about its tokens (expiry, scope, issuer), or undefined. */
  tokens: TokenInfo | undefined;
}

/**
 * Many MCP servers under names, over one store; see {@link createServerRegistry}.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@mcp-oauth/core';
 * import { createServerRegistry, type ServerRegistry } from '@mcp-oauth/core/servers';
 *
 * const servers: ServerRegistry = createServerRegistry({ store: memoryStore() });
 * await servers.add('work', 'https://mcp.example.com/mcp');
 * const work = await servers.client('work');
 * await servers.remove('work', { logout: true });
 * ```
 */
export interface ServerRegistry {
  /** Names `serverUrl` (replacing what the name meant before). Returns the canonical URL. */
  add(name: string, serverUrl: string | URL): Promise<string>;
  /** The client for a named server: the same object for every call with that name. */
  client(name: string): Promise<McpOAuthClient>;
  /** Every named server with the state of its tokens, by name. */
  list(): Promise<NamedServer[]>;
  /**
   * Forgets a name. With `logout: true` (default false), the server's tokens are revoked
   * (RFC 7009, when the server offers it) and deleted first.
   */
  remove(name: string, options?: { logout?: boolean }): Promise<void>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function assertName(name: string): void {
  if (!NAME.test(name)) {
    throw new McpOAuthError(
      'invalid_configuration',
      `"${name}" is not a valid server name: use letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit).`,
    );
  }
}

function asAlias(raw: unknown): AliasRecord | undefined {
  const record = raw as Partial<AliasRecord> | undefined;
  return record?.kind === 'alias' && typeof record.serverUrl === 'string'
    ? (record as AliasRecord)
    : undefined;
}

/**
 * Many MCP servers in one object: names kept in the store (`alias:<name>` records, as the
 * mcp-oauth CLI keeps them, so a registry and the CLI share one store's names), one client per
 * name made on first use with the shared options, and a list with each server's token state.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@mcp-oauth/core';
 * import { createServerRegistry } from '@mcp-oauth/core/servers';
 *
 * const servers = createServerRegistry({ store: memoryStore() });
 * await servers.add('notion', 'https://mcp.notion.com/mcp');
 * const notion = await servers.client('notion'); // pass notion.fetch to the SDK transport
 * for (const server of await servers.list()) console.log(server.name, server.state);
 * ```
 */
export function createServerRegistry(options: ServerRegistryOptions): ServerRegistry {
  const { store, ...shared } = options;
  const now = options.now ?? Date.now;
  const clients = new Map<string, McpOAuthClient>();

  const read = async (name: string): Promise<AliasRecord | undefined> =>
    asAlias(await store.get(storeKeys.alias(name)));

  const clientFor = (alias: AliasRecord): McpOAuthClient => {
    const cached = clients.get(alias.name);
    if (cached && cached.serverUrl === alias.serverUrl) return cached;
    const client = createOAuthClient({ ...shared, store, serverUrl: alias.serverUrl });
    clients.set(alias.name, client);
    return client;
  };

  return {
    async add(name, serverUrl) {
      assertName(name);
      const canonical = canonicalResource(serverUrl);
      const record: AliasRecord = {
        v: 1,
        kind: 'alias',
        name,
        serverUrl: canonical,
        createdAt: now(),
      };
      await store.set(storeKeys.alias(name), { ...record });
      clients.delete(name);
      return canonical;
    },

    async client(name) {
      const alias = await read(name);
      if (!alias) {
        throw new McpOAuthError(
          'invalid_configuration',
          `No server is named "${name}": add it first with servers.add("${name}", url).`,
        );
      }
      return clientFor(alias);
    },

    async list() {
      const keys = (await store.list(storeKeys.alias(''))).sort();
      const servers: NamedServer[] = [];
      for (const key of keys) {
        const alias = await read(key.slice(storeKeys.alias('').length));
        if (!alias) continue;
        const tokens = await clientFor(alias).status();
        servers.push({
          name: alias.name,
          serverUrl: alias.serverUrl,
          state: serverTokenState(tokens, now()),
          tokens,
        });
      }
      return servers;
    },

    async remove(name, removeOptions = {}) {
      const alias = await read(name);
      if (!alias) return;
      if (removeOptions.logout) await clientFor(alias).logout();
      await store.delete(storeKeys.alias(name));
      clients.delete(name);
    },
  };
}
