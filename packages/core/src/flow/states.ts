import type { PendingAuthorization } from '../authorization/pending.ts';
import type { DeviceAuthorization } from '../grants/device-authorization.ts';
import type { ClientRecord, DiscoveryRecord, TokensRecord } from '../store/records.ts';

/**
 * The authorization flow's states. Each is plain, serializable data (JSON.stringify
 * round-trips it), so a flow can stop at any state and resume in another process.
 *
 *   start ─discover→ discovered ─register→ registered ─begin→ awaiting_redirect ─complete→ authorized
 *                                                        ├───→ awaiting_device ──poll──→ authorized
 *                                                        └───→ authorized (client credentials,
 *                                                              enterprise-managed, workload identity)
 */
export type FlowState =
  | StartState
  | DiscoveredState
  | RegisteredState
  | AwaitingRedirectState
  | AwaitingDeviceState
  | AuthorizedState;

/**
 * How tokens are obtained: the kind of the interaction in use. `redirect` is the authorization
 * code grant (a browser comes back to a redirect URI); the others are named after their grant.
 */
export type InteractionKind =
  | 'redirect'
  | 'device'
  | 'client-credentials'
  | 'enterprise-managed'
  | 'workload-identity';

interface Common {
  serverUrl: string;
  /** The grant in use. At `start` it may be left open: discovery then picks one the server supports. */
  grant: InteractionKind;
  /** Scopes the application asked for explicitly, if any. */
  requestedScopes?: string[];
}

export interface StartState extends Omit<Common, 'grant'> {
  step: 'start';
  grant?: InteractionKind;
  /** From the 401 challenge that started the flow. */
  resourceMetadataUrl?: string;
  challengeScope?: string;
  /** Re-run discovery even if a cached record exists (e.g. the resource named new metadata). */
  rediscover?: boolean;
}

export interface DiscoveredState extends Common {
  step: 'discovered';
  discovery: DiscoveryRecord;
  scope?: string;
}

export interface RegisteredState extends Common {
  step: 'registered';
  discovery: DiscoveryRecord;
  client: ClientRecord;
  scope?: string;
  redirectUri?: string;
}

export interface AwaitingRedirectState extends Common {
  step: 'awaiting_redirect';
  discovery: DiscoveryRecord;
  client: ClientRecord;
  pending: PendingAuthorization;
}

export interface AwaitingDeviceState extends Common {
  step: 'awaiting_device';
  discovery: DiscoveryRecord;
  client: ClientRecord;
  scope?: string;
  device: DeviceAuthorization;
}

/**
 * The flow's end: tokens, not yet stored. Whoever runs the flow persists them before use
 * (the client's session does; see `saveAuthorized` in `@mcp-oauth/core/flow`).
 */
export interface AuthorizedState extends Common {
  step: 'authorized';
  discovery: DiscoveryRecord;
  client: ClientRecord;
  tokens: TokensRecord;
  /** The scope asked for (to report what was not granted). */
  scope?: string;
}

/** @deprecated The kind of the interaction, not of a grant (`redirect`): use `InteractionKind`. */
export type GrantKind = InteractionKind;
