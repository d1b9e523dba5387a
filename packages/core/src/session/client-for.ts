import { resolveClient } from '../registration/resolve-client.ts';
import type { ClientRecord, DiscoveryRecord } from '../store/records.ts';
import type { ServerSession } from './session.ts';

/** The client registered with the discovered authorization server (stored, or registered now). */
export function clientFor(
  session: ServerSession,
  discovery: DiscoveryRecord,
): Promise<ClientRecord> {
  return resolveClient(session.ctx, discovery.authorizationServerMetadata, session.options.config, {
    grantTypes: [],
  });
}
