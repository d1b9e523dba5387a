import type { Server } from 'node:http';
import type { ReceiverSettings } from './validate-options.ts';

/**
 * The address the receiver listens on first (RFC 8252 §7.3: an IP literal, not `localhost`).
 * Only when IPv4 loopback is not available is `::1` used instead (RFC 8252 §8.3).
 *
 * @example
 * ```ts
 * import { LOOPBACK_HOST } from '@mcp-oauth/loopback';
 *
 * // the redirect URI to pre-register for a fixed port
 * const redirectUri = `http://${LOOPBACK_HOST}:53682/callback`;
 * ```
 */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * The path of the redirect URI when `path` is not given: `/callback`.
 *
 * @example
 * ```ts
 * import { DEFAULT_CALLBACK_PATH, startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver();
 * new URL(receiver.redirectUri).pathname === DEFAULT_CALLBACK_PATH; // true
 * await receiver.close();
 * ```
 */
export const DEFAULT_CALLBACK_PATH = '/callback';

/**
 * How long the browser has to come back when `timeoutMs` is not given: 5 minutes, in ms.
 *
 * @example
 * ```ts
 * import { DEFAULT_TIMEOUT_MS, loopbackInteraction } from '@mcp-oauth/loopback';
 *
 * const interaction = loopbackInteraction({ timeoutMs: 2 * DEFAULT_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/**
 * Options of `startLoopbackReceiver`: where to listen and what to answer.
 *
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * // a fixed, pre-registered port; another one if it is taken
 * const receiver = await startLoopbackReceiver({ port: 53682, fallback: 'ephemeral' });
 * ```
 */
export interface LoopbackReceiverOptions {
  /** Port to listen on. Default 0: an ephemeral port chosen by the system. */
  port?: number;
  /** When a fixed `port` is taken: fail (`'error'`, the default) or use an ephemeral port. */
  fallback?: 'ephemeral' | 'error';
  /** Path of the redirect URI. Default `/callback`. */
  path?: string;
  /** HTML answered to the matching callback. */
  successPage?: string;
  /** HTML answered to an error callback; `{{error}}`/`{{error_description}}` are filled escaped. */
  failurePage?: string;
  /**
   * Advanced: the loopback addresses to try, in order. Default `['127.0.0.1', '::1']`: the next
   * one is tried only when an address is not available on this machine (`EADDRNOTAVAIL`,
   * `EAFNOSUPPORT`), never when a fixed port is taken. Only loopback IP literals
   * (`127.0.0.1`, `::1`) are accepted.
   */
  hosts?: readonly string[];
}

/**
 * A request to the callback path that was answered with an error page and is not the awaited
 * response: its `state` is missing or belongs to another sign-in (most often an old browser
 * tab). The wait goes on. It carries no query values.
 *
 * @example
 * ```ts
 * import { loopbackInteraction, type RejectedCallback } from '@mcp-oauth/loopback';
 *
 * const warn = (rejected: RejectedCallback) =>
 *   console.error(`Ignored a sign-in response from another tab (${rejected.reason}).`);
 * const interaction = loopbackInteraction({ onRejectedCallback: warn });
 * ```
 */
export interface RejectedCallback {
  /** The callback had no `state`, or another one than the awaited sign-in's. */
  reason: 'state_missing' | 'state_mismatch';
  /** How many callbacks this wait has rejected so far, this one included. */
  count: number;
}

/**
 * Options of `LoopbackReceiver.waitForCallback`: what the awaited callback must carry.
 *
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver();
 * const state = crypto.randomUUID();
 * // ... send the user to the authorization URL with redirect_uri = receiver.redirectUri ...
 * const callbackUrl = await receiver.waitForCallback({
 *   expectedState: state,
 *   expectedIssuer: 'https://auth.example.com',
 *   timeoutMs: 60_000,
 * });
 * ```
 */
export interface WaitForCallbackOptions {
  /** The `state` sent in the authorization request; callbacks without it are refused. */
  expectedState: string;
  /**
   * The issuer the response must come from (RFC 9207). When the callback's `iss` differs,
   * or is missing while `issuerRequired`, the server's error text is not shown (MCP: an
   * error response that fails the iss check must not be displayed).
   */
  expectedIssuer?: string;
  /**
   * A callback without `iss` counts as not from `expectedIssuer`. Set it when the server
   * advertises `authorization_response_iss_parameter_supported`. Default false.
   */
  issuerRequired?: boolean;
  /**
   * Default 5 minutes, in ms (above 0, at most 2147483647). Ends the wait with an
   * `interaction_timeout` error.
   */
  timeoutMs?: number;
  /** Cancels the wait (`interaction_failed`, details.reason `aborted`). */
  signal?: AbortSignal;
  /** Called, at once, for each callback rejected while waiting (a wrong or missing `state`). */
  onRejectedCallback?: (rejected: RejectedCallback) => void;
}

/**
 * A listener on the loopback address that waits for one authorization redirect. Started by
 * `startLoopbackReceiver`.
 *
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver();
 * try {
 *   console.log('redirect_uri:', receiver.redirectUri);
 *   const callbackUrl = await receiver.waitForCallback({ expectedState: 'the-state-sent' });
 *   console.log(new URL(callbackUrl).searchParams.get('code'));
 * } finally {
 *   await receiver.close();
 * }
 * ```
 */
export interface LoopbackReceiver extends AsyncDisposable {
  /** `http://127.0.0.1:<port><path>`, or `http://[::1]:<port><path>` without IPv4 loopback. */
  readonly redirectUri: string;
  /** The port listened on (the one chosen by the system when `port` was 0). */
  readonly port: number;
  /**
   * Resolves with the full callback URL of the first request to the path whose `state`
   * equals `expectedState`, then closes the listener. May be called once.
   */
  waitForCallback(options: WaitForCallbackOptions): Promise<string>;
  /** Stops listening and closes every connection. Idempotent; `await using` calls it. */
  close(): Promise<void>;
}

/** The awaited callback, while `waitForCallback` waits: what it must carry and how it ends. */
export interface AwaitedCallback {
  expectedState: string;
  expectedIssuer: string | undefined;
  issuerRequired: boolean;
  settle: (url: string) => void;
  abandon: (error: unknown) => void;
  reject: (reason: RejectedCallback['reason']) => void;
}

/**
 * One listening receiver, as a plain object. Its operations are functions of their own files:
 * `start-loopback-receiver.ts` (listen), `handle-callback.ts` (answer a request),
 * `wait-for-callback.ts` (await the matching one, with a timeout) and `close-receiver.ts`.
 */
export interface ReceiverState {
  readonly server: Server;
  /** Its options, checked, with their defaults. */
  readonly settings: ReceiverSettings;
  /** The path of the redirect URI. */
  readonly path: string;
  /** The `Host` header a request must carry: `127.0.0.1:<port>` or `[::1]:<port>`. */
  readonly expectedHost: string;
  readonly origin: string;
  readonly redirectUri: string;
  /** The callback `waitForCallback` waits for, if it does. */
  waiting: AwaitedCallback | undefined;
  /** The matching callback came or the receiver closed: no callback is accepted any more. */
  finished: boolean;
  /** Set by the first close; later ones return it. */
  closing: Promise<void> | undefined;
  /** `waitForCallback` was called: it may be called once. */
  waited: boolean;
}
