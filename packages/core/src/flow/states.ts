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
 *
 * @example
 * ```ts
 * import { createOAuthClient, type FlowState } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   onState: (state: FlowState) => {
 *     if (state.step === 'discovered') console.error(`issuer ${state.discovery.issuer}`);
 *     if (state.step === 'authorized') console.error(`scope ${state.tokens.scope ?? '(none)'}`);
 *   },
 * });
 * ```
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
 *
 * @example
 * ```ts
 * import type { InteractionKind, StartState } from '@mcp-oauth/core/flow';
 *
 * const grant: InteractionKind = 'device';
 * const start: StartState = { step: 'start', serverUrl: 'https://mcp.example.com/mcp', grant };
 * ```
 */
export type InteractionKind =
  | 'redirect'
  | 'device'
  | 'client-credentials'
  | 'enterprise-managed'
  | 'workload-identity';

interface Common {
  /** The MCP server URL. */
  serverUrl: string;
  /** The grant in use. At `start` it may be left open: discovery then picks one the server supports. */
  grant: InteractionKind;
  /** Scopes the application asked for explicitly, if any. */
  requestedScopes?: string[];
  /**
   * Extra parameters of the authorization request (`prompt`, `login_hint`, `acr_values`,
   * `ui_locales`, ...), if any; never one the library sets itself (see `RESERVED_AUTHORIZATION_PARAMS`).
   */
  authorizationParams?: Record<string, string>;
}

/**
 * Where every flow begins: the MCP server, and what a 401 challenge said, if one started it.
 *
 * @example
 * ```ts
 * import type { StartState } from '@mcp-oauth/core/flow';
 *
 * const start: StartState = {
 *   step: 'start',
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   resourceMetadataUrl: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
 *   challengeScope: 'mcp:read',
 * };
 * ```
 */
export interface StartState extends Omit<Common, 'grant'> {
  /** Always `start`. */
  step: 'start';
  /** The grant to use; left out, discovery picks the first interaction's grant the server supports. */
  grant?: InteractionKind;
  /** From the 401 challenge that started the flow. */
  resourceMetadataUrl?: string;
  /**
   * The `scope` of the challenge (RFC 6750 §3) that started the flow: authoritative for the
   * operation it answered (MCP scope selection), so asked for together with `requestedScopes`.
   */
  challengeScope?: string;
  /** Re-run discovery even if a cached record exists (e.g. the resource named new metadata). */
  rediscover?: boolean;
}

/**
 * The server's metadata is known, the grant is chosen and the scope decided.
 *
 * @example
 * ```ts
 * import { type DiscoveredState, discoverTransition, type FlowContext } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * const discovered: DiscoveredState = await discoverTransition(ctx, { step: 'start', serverUrl: 'https://mcp.example.com/mcp' });
 * console.log(discovered.discovery.issuer, discovered.grant, discovered.scope);
 * ```
 */
export interface DiscoveredState extends Common {
  /** Always `discovered`. */
  step: 'discovered';
  /** What discovery found (RFC 9728 and RFC 8414 metadata). */
  discovery: DiscoveryRecord;
  /** The scopes to ask for, space-separated (MCP scope selection). */
  scope?: string;
}

/**
 * The client has a client id for the issuer.
 *
 * @example
 * ```ts
 * import { type DiscoveredState, type FlowContext, type RegisteredState, registerTransition } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * declare const discovered: DiscoveredState;
 * const registered: RegisteredState = await registerTransition(ctx, discovered, { clientName: 'My MCP app' }, 'http://127.0.0.1:8912/callback');
 * console.log(registered.client.clientId, registered.client.source);
 * ```
 */
export interface RegisteredState extends Common {
  /** Always `registered`. */
  step: 'registered';
  /** What discovery found. */
  discovery: DiscoveryRecord;
  /** The client registration used. */
  client: ClientRecord;
  /** The scopes to ask for, space-separated. */
  scope?: string;
  /** The redirect URI, for the authorization code grant. */
  redirectUri?: string;
}

/**
 * The person was sent to the authorization endpoint; the flow waits for the callback URL.
 * `pending` holds the PKCE verifier: keep the state server-side.
 *
 * @example
 * ```ts
 * import { type AwaitingRedirectState, completeRedirectTransition, type FlowContext } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * declare const waiting: AwaitingRedirectState;
 * console.error(`Open ${waiting.pending.authorizationUrl}`);
 * const done = await completeRedirectTransition(ctx, waiting, 'http://127.0.0.1:8912/callback?code=...&state=...', {});
 * ```
 */
export interface AwaitingRedirectState extends Common {
  /** Always `awaiting_redirect`. */
  step: 'awaiting_redirect';
  /** What discovery found. */
  discovery: DiscoveryRecord;
  /** The client registration used. */
  client: ClientRecord;
  /** The authorization request awaiting its callback. */
  pending: PendingAuthorization;
}

/**
 * A device code was issued (RFC 8628 §3.2); the flow polls until the person approves.
 *
 * @example
 * ```ts
 * import type { DeviceInteraction } from '@mcp-oauth/core';
 * import { type AwaitingDeviceState, completeDeviceTransition, type FlowContext } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * declare const waiting: AwaitingDeviceState;
 * declare const interaction: DeviceInteraction;
 * console.error(`Open ${waiting.device.verificationUri} and enter ${waiting.device.userCode}`);
 * const done = await completeDeviceTransition(ctx, waiting, {}, interaction);
 * ```
 */
export interface AwaitingDeviceState extends Common {
  /** Always `awaiting_device`. */
  step: 'awaiting_device';
  /** What discovery found. */
  discovery: DiscoveryRecord;
  /** The client registration used. */
  client: ClientRecord;
  /** The scopes asked for, space-separated. */
  scope?: string;
  /** The device authorization in progress. */
  device: DeviceAuthorization;
}

/**
 * The flow's end: tokens, not yet stored. Whoever runs the flow persists them before use
 * (the client's session does; see `saveAuthorized` in `@mcp-oauth/core/flow`).
 *
 * @example
 * ```ts
 * import { type AuthorizedState, type FlowContext, runFlow } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * const done: AuthorizedState = await runFlow(ctx, { step: 'start', serverUrl: 'https://mcp.example.com/mcp' }, {}, []);
 * console.log(done.tokens.expiresAt);
 * ```
 */
export interface AuthorizedState extends Common {
  /** Always `authorized`. */
  step: 'authorized';
  /** What discovery found. */
  discovery: DiscoveryRecord;
  /** The client registration used. */
  client: ClientRecord;
  /** The tokens (a secret-bearing record: do not log it). */
  tokens: TokensRecord;
  /** The scope asked for (to report what was not granted). */
  scope?: string;
}

/**
 * @deprecated The kind of the interaction, not of a grant (`redirect`): use `InteractionKind`.
 *
 * @example
 * ```ts
 * import type { InteractionKind } from '@mcp-oauth/core/flow';
 *
 * const kind: InteractionKind = 'redirect'; // was: const kind: GrantKind = 'redirect';
 * ```
 */
export type GrantKind = InteractionKind;
