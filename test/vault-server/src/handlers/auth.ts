import { parseDurationSeconds } from '../duration.ts';
import { errorReply, noContent, ok, permissionDenied, type VaultReply } from '../reply.ts';
import type { LoginRoleConfig, ServerState, VaultRequest } from '../state.ts';
import type { TokenEntry } from '../tokens.ts';

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/** The `auth` block of login and renew responses. */
function authBlock(state: ServerState, token: TokenEntry): Record<string, unknown> {
  return {
    client_token: token.id,
    accessor: token.accessor,
    policies: token.policies,
    token_policies: token.policies,
    metadata: token.meta,
    lease_duration: state.tokens.ttlOf(token),
    renewable: token.renewable,
    entity_id: '',
    token_type: 'service',
    orphan: true,
    mfa_requirement: null,
    num_uses: 0,
  };
}

function login(
  state: ServerState,
  role: LoginRoleConfig,
  path: string,
  meta: Record<string, string>,
) {
  const token = state.tokens.create(role.policies, {
    ttl: role.tokenTtl,
    maxTtl: role.tokenMaxTtl,
    renewable: role.renewable,
    path,
    displayName: path.split('/')[1] ?? 'login',
    meta,
  });
  return ok({ auth: authBlock(state, token) });
}

/** `POST /v1/auth/approle/login` with `role_id` and `secret_id`. Unauthenticated. */
export function approleLogin(state: ServerState, req: VaultRequest): VaultReply {
  const roleId = field(req.body, 'role_id');
  const secretId = field(req.body, 'secret_id');
  if (typeof roleId !== 'string' || roleId === '') return errorReply(400, 'missing role_id');
  const role = state.approle;
  if (roleId !== role.roleId || secretId !== role.secretId) {
    state.stats.logins.failed += 1;
    return errorReply(400, 'invalid role or secret ID');
  }
  state.stats.logins.approle += 1;
  return login(state, role, 'auth/approle/login', { role_name: role.roleName });
}

/** `POST /v1/auth/kubernetes/login` with `role` and a service account `jwt`. Unauthenticated. */
export function kubernetesLogin(state: ServerState, req: VaultRequest): VaultReply {
  const roleName = field(req.body, 'role');
  const jwt = field(req.body, 'jwt');
  if (typeof roleName !== 'string' || roleName === '') return errorReply(400, 'missing role');
  if (typeof jwt !== 'string' || jwt === '') return errorReply(400, 'missing jwt');
  const role = state.kubernetes;
  if (roleName !== role.role) {
    state.stats.logins.failed += 1;
    return errorReply(400, `invalid role name "${roleName}"`);
  }
  if (jwt !== role.jwt) {
    state.stats.logins.failed += 1;
    return permissionDenied();
  }
  state.stats.logins.kubernetes += 1;
  return login(state, role, 'auth/kubernetes/login', {
    role: role.role,
    service_account_name: 'mcp-oauth',
    service_account_namespace: 'default',
  });
}

/** `GET /v1/auth/token/lookup-self` (granted to every token by the default policy). */
export function lookupSelf(state: ServerState, token: TokenEntry): VaultReply {
  const ttl = state.tokens.ttlOf(token);
  return ok({
    data: {
      accessor: token.accessor,
      creation_time: Math.floor(token.issuedAt / 1000),
      creation_ttl: token.creationTtl,
      display_name: token.displayName,
      entity_id: '',
      expire_time: token.expiresAt === undefined ? null : new Date(token.expiresAt).toISOString(),
      explicit_max_ttl: token.explicitMaxTtl,
      id: token.id,
      issue_time: new Date(token.issuedAt).toISOString(),
      meta: token.meta,
      num_uses: 0,
      orphan: true,
      path: token.path,
      policies: token.policies,
      renewable: token.renewable,
      ttl,
      type: 'service',
    },
  });
}

/** `POST /v1/auth/token/renew-self` with an optional `increment`. */
export function renewSelf(state: ServerState, req: VaultRequest, token: TokenEntry): VaultReply {
  if (!token.renewable) return errorReply(400, 'lease is not renewable');
  const raw = field(req.body, 'increment');
  const increment = raw === undefined ? undefined : parseDurationSeconds(raw);
  if (raw !== undefined && increment === undefined) {
    return errorReply(400, `error parsing increment: invalid duration "${String(raw)}"`);
  }
  const warning = state.tokens.renew(token, increment);
  state.stats.renewals += 1;
  const reply = ok({ auth: authBlock(state, token) });
  if (warning) (reply.body as Record<string, unknown>).warnings = [warning];
  return reply;
}

export function revokeSelf(state: ServerState, token: TokenEntry): VaultReply {
  state.tokens.revoke(token.id);
  return noContent();
}
