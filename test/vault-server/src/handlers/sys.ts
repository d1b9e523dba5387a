import type { VaultReply } from '../reply.ts';
import type { ServerState } from '../state.ts';

export const VERSION = '1.17.0+mcp-oauth-test';

/**
 * `GET /v1/sys/health`: unauthenticated; 200 when active and unsealed, 503 when
 * sealed (body still JSON, not an error envelope).
 */
export function health(state: ServerState): VaultReply {
  return {
    status: state.sealed ? 503 : 200,
    body: {
      initialized: true,
      sealed: state.sealed,
      standby: false,
      performance_standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: Math.floor(state.now() / 1000),
      version: VERSION,
      cluster_name: 'vault-cluster-test',
      cluster_id: '00000000-0000-4000-8000-000000000000',
    },
  };
}

/** `GET /v1/sys/seal-status`: unauthenticated, answers while sealed. */
export function sealStatus(state: ServerState): VaultReply {
  return {
    status: 200,
    body: {
      type: 'shamir',
      initialized: true,
      sealed: state.sealed,
      t: 1,
      n: 1,
      progress: 0,
      nonce: '',
      version: VERSION,
      build_date: '2024-01-01T00:00:00Z',
      migration: false,
      recovery_seal: false,
      storage_type: 'inmem',
    },
  };
}
