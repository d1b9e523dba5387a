import type { KvEngine } from './kv-engine.ts';
import { type Capability, capabilitiesFor, type PolicyRules } from './policy.ts';
import type { TokenEntry, TokenStoreState } from './tokens.ts';

export interface LoginRoleConfig {
  readonly policies: readonly string[];
  /** Token TTL in seconds (default 3600). */
  readonly tokenTtl: number;
  /** Max TTL in seconds (0: none). */
  readonly tokenMaxTtl: number;
  readonly renewable: boolean;
}

export interface AppRoleConfig extends LoginRoleConfig {
  readonly roleName: string;
  readonly roleId: string;
  readonly secretId: string;
}

export interface KubernetesRoleConfig extends LoginRoleConfig {
  readonly role: string;
  readonly jwt: string;
}

/** Counters tests assert on. Never holds a token or secret. */
export interface VaultServerStats {
  requests: number;
  byStatus: Record<number, number>;
  writes: number;
  casConflicts: number;
  denied: number;
  sealedRejections: number;
  renewals: number;
  logins: { approle: number; kubernetes: number; failed: number };
}

export interface ServerState {
  readonly now: () => number;
  sealed: boolean;
  readonly mount: string;
  readonly tokens: TokenStoreState;
  readonly policies: Map<string, PolicyRules>;
  /** The namespaces that exist ('' is the root); undefined: any namespace is accepted. */
  readonly namespaces: Set<string> | undefined;
  readonly engines: Map<string, KvEngine>;
  readonly engineFor: (namespace: string) => KvEngine;
  approle: AppRoleConfig;
  kubernetes: KubernetesRoleConfig;
  readonly stats: VaultServerStats;
}

export interface VaultRequest {
  /** GET, POST (PUT is folded into POST), DELETE, LIST (also from `GET ?list=true`), ... */
  readonly method: string;
  /** The logical path after `/v1/`, without the namespace. */
  readonly path: string;
  /** '' for the root namespace, else `ns1/` or `ns1/ns2/`. */
  readonly namespace: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly token: TokenEntry | undefined;
}

/** ACL check as Vault does it: policies of the token, on the path seen from the root namespace. */
export function allowed(
  state: ServerState,
  req: VaultRequest,
  capability: Capability,
  path: string,
): boolean {
  if (!req.token) return false;
  const caps = capabilitiesFor(req.token.policies, state.policies, req.namespace + path);
  if (caps.has(capability)) return true;
  state.stats.denied += 1;
  return false;
}
