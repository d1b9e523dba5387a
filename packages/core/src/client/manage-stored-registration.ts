import { McpOAuthError } from '../errors/error.ts';
import { dropRegistration } from '../registration/drop-registration.ts';
import {
  manageRegistration,
  publicRegistrationMetadata,
  withRegistrationAnswer,
} from '../registration/registration-request.ts';
import { requireDiscovery } from '../session/load-tokens.ts';
import { storeKeys } from '../store/keys.ts';
import { type ClientRecord, readRecord, toStoreRecord } from '../store/records.ts';
import type { ClientInternals } from './internals.ts';
import type { McpOAuthClient } from './types.ts';

async function storedRegistration({ ctx, session }: ClientInternals) {
  const discovery = await requireDiscovery(session);
  const key = storeKeys.client(discovery.issuer);
  const record = readRecord(await ctx.store.get(key), 'client', key);
  if (!record) {
    throw new McpOAuthError(
      'registration_management_failed',
      `No dynamic registration is stored for ${discovery.issuer}.`,
    );
  }
  return record;
}

/**
 * One RFC 7592 request. A 401 means the server no longer knows the registration (§2.1–§2.3:
 * a client that does not exist gets 401): the stored one is discarded, so the next
 * authorization registers again. A DELETE answered 401 has nothing left to delete.
 */
async function managed(
  { ctx }: ClientInternals,
  record: ClientRecord,
  operation: Parameters<typeof manageRegistration>[2],
) {
  try {
    return await manageRegistration(ctx, record, operation);
  } catch (error) {
    if (!McpOAuthError.isInstance(error) || error.status !== 401) throw error;
    await dropRegistration(ctx, record, 'registration_unknown');
    if (operation.method === 'DELETE') return undefined;
    throw new McpOAuthError(
      'registration_management_failed',
      `The authorization server no longer knows the client ${record.clientId} (HTTP 401 from its configuration endpoint): the stored registration was discarded, and the next authorization registers again.`,
      { cause: error, status: 401, details: { registrationDiscarded: true } },
    );
  }
}

/** RFC 7592 read or update; rotated credentials in the answer (§2.1, §2.2) are stored. */
async function manageAndKeep(
  inner: ClientInternals,
  operation: { method: 'GET' } | { method: 'PUT'; metadata: Record<string, unknown> },
) {
  const record = await storedRegistration(inner);
  const answer = (await managed(inner, record, operation)) ?? {};
  const next = withRegistrationAnswer(record, answer);
  if (next !== record)
    await inner.ctx.store.set(storeKeys.client(record.issuer), toStoreRecord(next));
  return publicRegistrationMetadata(answer);
}

/**
 * RFC 7592: the server's current metadata for the client's dynamic registration (no secrets).
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { readRegistration } from '@mcp-oauth/core/management';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const metadata = await readRegistration(oauth);
 * console.log(metadata.client_name, metadata.redirect_uris);
 * ```
 */
export function readRegistration(client: McpOAuthClient): Promise<Record<string, unknown>> {
  const inner = client.internals;
  return inner.reported(() => manageAndKeep(inner, { method: 'GET' }));
}

/**
 * RFC 7592: replaces the registration's metadata; returns what the server stored (no secrets).
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { readRegistration, updateRegistration } from '@mcp-oauth/core/management';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const current = await readRegistration(oauth);
 * await updateRegistration(oauth, { ...current, client_name: 'My MCP app (renamed)' });
 * ```
 */
export function updateRegistration(
  client: McpOAuthClient,
  metadata: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const inner = client.internals;
  return inner.reported(() => manageAndKeep(inner, { method: 'PUT', metadata }));
}

/**
 * RFC 7592: deletes the registration at the server, then the local record.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { deleteRegistration } from '@mcp-oauth/core/management';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * await oauth.logout();
 * await deleteRegistration(oauth);
 * ```
 */
export function deleteRegistration(client: McpOAuthClient): Promise<void> {
  const inner = client.internals;
  return inner.reported(async () => {
    const record = await storedRegistration(inner);
    await managed(inner, record, { method: 'DELETE' });
    await inner.ctx.store.delete(storeKeys.client(record.issuer));
  });
}
