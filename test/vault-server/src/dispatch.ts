import { errorReply, type VaultReply } from './reply.ts';
import { route } from './router.ts';
import type { ServerState } from './state.ts';

export interface RawRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/secret/data/a?version=2`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly bodyText: string;
}

function header(raw: RawRequest, name: string): string | undefined {
  const value = raw.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `X-Vault-Namespace: ns1/ns2` (slashes optional) → `ns1/ns2/`; absent → ''. */
function namespaceOf(raw: RawRequest): string {
  const value = (header(raw, 'x-vault-namespace') ?? '').replace(/^\/+|\/+$/g, '');
  return value === '' ? '' : `${value}/`;
}

function tokenOf(raw: RawRequest): string | undefined {
  const direct = header(raw, 'x-vault-token');
  if (direct) return direct;
  const authz = header(raw, 'authorization');
  return authz?.startsWith('Bearer ') ? authz.slice('Bearer '.length) : undefined;
}

/** Turns an HTTP request into a logical Vault request and answers it. */
export function dispatch(state: ServerState, raw: RawRequest): VaultReply {
  state.stats.requests += 1;
  const url = new URL(raw.url, 'http://vault.invalid');
  if (!url.pathname.startsWith('/v1/')) return errorReply(404);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice('/v1/'.length)).replace(/^\/+/, '');
  } catch {
    return errorReply(400, 'invalid request path');
  }
  let method = raw.method.toUpperCase();
  if (method === 'PUT') method = 'POST';
  const listParam = url.searchParams.get('list');
  if (method === 'GET' && (listParam === 'true' || listParam === '1')) method = 'LIST';

  let body: unknown;
  if (raw.bodyText.trim() !== '') {
    try {
      body = JSON.parse(raw.bodyText);
    } catch (error) {
      return errorReply(400, `failed to parse JSON input: ${(error as Error).message}`);
    }
  }
  const tokenId = tokenOf(raw);
  const reply = route(state, {
    method,
    path,
    namespace: namespaceOf(raw),
    query: url.searchParams,
    body,
    token: state.sealed ? undefined : state.tokens.lookup(tokenId),
  });
  state.stats.byStatus[reply.status] = (state.stats.byStatus[reply.status] ?? 0) + 1;
  return reply;
}
