import {
  approleLogin,
  kubernetesLogin,
  lookupSelf,
  renewSelf,
  revokeSelf,
} from './handlers/auth.ts';
import { handleKv } from './handlers/kv.ts';
import { health, sealStatus } from './handlers/sys.ts';
import { errorReply, noHandler, permissionDenied, sealedReply, type VaultReply } from './reply.ts';
import type { ServerState, VaultRequest } from './state.ts';

const KV_OPS = new Set(['data', 'metadata', 'delete', 'undelete', 'destroy']);
const unsupported = () => errorReply(405, 'unsupported operation');

/** Routes one logical request, in Vault's order: seal, unauthenticated paths, token, ACL. */
export function route(state: ServerState, req: VaultRequest): VaultReply {
  const { path, method } = req;
  if (req.namespace === '') {
    if (path === 'sys/health')
      return method === 'GET' || method === 'HEAD' ? health(state) : unsupported();
    if (path === 'sys/seal-status') return method === 'GET' ? sealStatus(state) : unsupported();
  }
  if (state.sealed) {
    state.stats.sealedRejections += 1;
    return sealedReply();
  }
  if (state.namespaces && !state.namespaces.has(req.namespace))
    return noHandler(req.namespace + path);

  if (path === 'auth/approle/login')
    return method === 'POST' ? approleLogin(state, req) : unsupported();
  if (path === 'auth/kubernetes/login')
    return method === 'POST' ? kubernetesLogin(state, req) : unsupported();

  const token = req.token;
  if (!token) return permissionDenied();

  // Granted to every token by Vault's built-in `default` policy.
  if (path === 'auth/token/lookup-self')
    return method === 'GET' || method === 'POST' ? lookupSelf(state, token) : unsupported();
  if (path === 'auth/token/renew-self')
    return method === 'POST' ? renewSelf(state, req, token) : unsupported();
  if (path === 'auth/token/revoke-self')
    return method === 'POST' ? revokeSelf(state, token) : unsupported();

  const mountPrefix = `${state.mount}/`;
  if (path.startsWith(mountPrefix)) {
    const rest = path.slice(mountPrefix.length);
    const slash = rest.indexOf('/');
    const op = slash === -1 ? rest : rest.slice(0, slash);
    const key = slash === -1 ? '' : rest.slice(slash + 1);
    if (KV_OPS.has(op) && (key !== '' || op === 'metadata')) return handleKv(state, req, op, key);
  }
  return noHandler(path);
}
