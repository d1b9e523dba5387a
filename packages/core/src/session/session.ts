import { canonicalResource } from '../discovery/canonical-resource.ts';
import type { FlowContext } from '../flow/context.ts';
import type { FlowState } from '../flow/states.ts';
import type { Interaction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import type { TokensRecord } from '../store/records.ts';

export interface SessionOptions {
  serverUrl: string;
  config: ClientConfig;
  interaction?: Interaction | readonly Interaction[];
  scopes?: string[];
  /** Extra authorization request parameters for every authorization of this client. */
  authorizationParams?: Record<string, string | undefined>;
  refreshSkewMs: number;
  lockTtlMs: number;
  lockTimeoutMs: number;
  onState?: (state: FlowState) => void;
  /** How many step-up authorizations one request may trigger. Default 2. */
  maxStepUps?: number;
  /** On 401, refresh or re-authorize and replay the request once. Default true. */
  replayOnUnauthorized?: boolean;
}

/**
 * The tokens of one MCP server, as a plain object: what is known in this process. Its
 * operations are functions of their own files: `load-tokens.ts` (read the store),
 * `save-tokens.ts` (write it), `refresh.ts` (DESIGN.md's refresh rules) and `authorize.ts`
 * (run the authorization flow and persist what it returns).
 */
export interface ServerSession {
  readonly ctx: FlowContext;
  readonly options: SessionOptions;
  /** The canonical resource (RFC 8707) of the MCP server. */
  readonly resourceKey: string;
  /** The tokens last read or saved. */
  current?: TokensRecord | undefined;
  /** Tokens the store refused to save: kept here, and saved again before any use. */
  unsaved?: TokensRecord | undefined;
  /** The refresh in flight in this process (single-flight). */
  refreshing?: Promise<TokensRecord> | undefined;
  /** The authorization in flight in this process. */
  authorizing?: Promise<TokensRecord> | undefined;
  /**
   * Aborts the session's OAuth requests and waits (the client's dispose). Made when an OAuth
   * request is about to be sent (`whileArmed`), dropped when none is left under way: a session
   * that reads fresh tokens holds none (a gateway keeps thousands of idle sessions).
   */
  lifetime?: AbortController | undefined;
  /** The operations under way that send OAuth requests (`whileArmed`). */
  armedOperations: number;
  /** The `Authorization` header value of `tokens` (the authorized fetch builds it once per token). */
  bearer: { tokens: TokensRecord; header: string } | undefined;
  /** Scopes whose step-up already failed (made at the first such failure). */
  refusedScopes?: Set<string> | undefined;
  /** Message URLs a legacy HTTP+SSE server announced on a stream the token opened (made at the first). */
  announced?: Set<string> | undefined;
}

export function createSession(ctx: FlowContext, options: SessionOptions): ServerSession {
  // every field from the start: sessions share one shape whatever they went through
  return {
    ctx,
    options,
    resourceKey: canonicalResource(options.serverUrl),
    current: undefined,
    unsaved: undefined,
    refreshing: undefined,
    authorizing: undefined,
    lifetime: undefined,
    armedOperations: 0,
    bearer: undefined,
    refusedScopes: undefined,
    announced: undefined,
  };
}

/**
 * The session's flow context, with `signal` set to the session's lifetime, so that dispose
 * can abort what is under way. Operations that send OAuth requests run in `whileArmed`.
 */
export function armed(session: ServerSession): FlowContext {
  if (!session.lifetime) {
    session.lifetime = new AbortController();
    session.ctx.signal = session.lifetime.signal;
  }
  return session.ctx;
}

/**
 * Runs an operation that sends OAuth requests (a refresh, an authorization, a revocation, ...)
 * with the session armed (`armed`); when the last such operation ends, the lifetime is dropped
 * unless dispose aborted it (a disposed client stays disposed).
 */
export async function whileArmed<T>(
  session: ServerSession,
  operation: (ctx: FlowContext) => Promise<T>,
): Promise<T> {
  const ctx = armed(session);
  session.armedOperations += 1;
  try {
    return await operation(ctx);
  } finally {
    session.armedOperations -= 1;
    if (session.armedOperations === 0 && session.lifetime?.signal.aborted === false) {
      session.lifetime = undefined;
      // kept as a property (undefined), so that the context keeps its shape
      (ctx as { signal?: AbortSignal | undefined }).signal = undefined;
    }
  }
}

/** Forgets tokens in memory (after logout or when the server rejected them). */
export function forget(session: ServerSession): void {
  session.current = undefined;
  session.unsaved = undefined;
}
