import { resolveClient } from '../registration/resolve-client.ts';
import type { ClientRecord, DiscoveryRecord } from '../store/records.ts';
import type { ServerSession } from './session.ts';

/**
 * The client registered with the discovered authorization server (stored, or registered now);
 * with `issuedTo`, the client id tokens were issued to, the registration it replaced when that
 * is the one (`ClientRecord.previous`: a login that re-registered did not end).
 */
export async function clientFor(
  session: ServerSession,
  discovery: DiscoveryRecord,
  issuedTo?: string,
): Promise<ClientRecord> {
  const client = await resolveClient(
    session.ctx,
    discovery.authorizationServerMetadata,
    session.options.config,
    { grantTypes: [] },
  );
  const { previous } = client;
  return issuedTo && client.clientId !== issuedTo && previous?.clientId === issuedTo
    ? previous
    : client;
}
