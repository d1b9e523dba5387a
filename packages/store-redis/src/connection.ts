import { createHash } from 'node:crypto';
import type { McpOAuthError } from '@mcp-oauth/core/store';
import { backoffDelay, redactUrl } from '@mcp-oauth/internal';
import { createClient, createCluster, createSentinel } from '@redis/client';
import type { RedisClientLike } from './options.ts';
import { CallTimeout, type Operation, replyCode, toStoreError, type Where } from './redis-error.ts';
import type { ResolvedOptions } from './validate-options.ts';

/** A Lua script and its SHA-1, sent with EVALSHA and loaded with EVAL when Redis lacks it. */
export interface Script {
  readonly source: string;
  readonly sha1: string;
}

export function script(source: string): Script {
  return { source, sha1: createHash('sha1').update(source, 'utf8').digest('hex') };
}

interface Owned {
  client: RedisClientLike & {
    on?(event: 'error', listener: (e: unknown) => void): unknown;
    off?(event: 'error', listener: (e: unknown) => void): unknown;
  };
  close(): Promise<void>;
}

const CREDENTIAL_REPLIES = new Set(['NOAUTH', 'WRONGPASS', 'NOPERM']);
/** Reconnect delays: 50 ms doubling to 1 s, with jitter. */
const RECONNECT = { minDelayMs: 50, maxDelayMs: 1_000 };

/**
 * Reconnect quickly after a restart or failover, without hammering a Redis that is down;
 * stop at rejected credentials (retrying cannot fix them; the next call tries again).
 */
function reconnectStrategy(retries: number, cause: unknown): number | false {
  if (CREDENTIAL_REPLIES.has(replyCode(cause) ?? '')) return false;
  return backoffDelay(retries + 1, RECONNECT);
}

/**
 * The store's access to Redis: one client (the application's or our own), calls bounded
 * by `commandTimeoutMs`, every failure a typed `McpOAuthError`.
 */
export class Connection {
  readonly target: string;
  readonly option: string;
  readonly #timeoutMs: number;
  readonly #owned: Owned | undefined;
  readonly #client: RedisClientLike;
  #connecting: Promise<unknown> | undefined;
  #closed = false;

  constructor(options: ResolvedOptions) {
    this.#timeoutMs = options.commandTimeoutMs;
    const { connection, raw } = options;
    this.option = connection.kind;
    switch (connection.kind) {
      case 'client':
        this.target = 'the application client';
        this.#client = connection.client;
        return;
      case 'url': {
        const socket = {
          connectTimeout: options.commandTimeoutMs,
          reconnectStrategy,
          ...raw.clientOptions?.socket,
        };
        // Credentials never reach messages: `redis://user:secret@host` shows as `redis://host`.
        this.target = redactUrl(connection.url);
        this.#owned = own(
          createClient({
            ...raw.clientOptions,
            url: connection.url,
            socket,
            // Fail fast while disconnected: waiting callers get store_unavailable, not a hang.
            disableOfflineQueue: true,
          } as never),
        );
        break;
      }
      case 'cluster': {
        const cluster = raw.cluster as NonNullable<typeof raw.cluster>;
        this.target = `cluster ${(cluster.rootNodes ?? []).map((n) => redactUrl(n.url ?? '')).join(', ')}`;
        this.#owned = own(
          createCluster({
            ...cluster,
            defaults: {
              disableOfflineQueue: true,
              ...cluster.defaults,
              socket: {
                connectTimeout: options.commandTimeoutMs,
                reconnectStrategy,
                ...cluster.defaults?.socket,
              },
            },
          } as never),
        );
        break;
      }
      case 'sentinel': {
        const sentinel = raw.sentinel as NonNullable<typeof raw.sentinel>;
        this.target = `sentinel master "${sentinel.name}"`;
        this.#owned = own(createSentinel(sentinel as never));
        break;
      }
    }
    this.#client = this.#owned.client;
  }

  get #where(): Where {
    return { target: this.target, option: this.option };
  }

  /** The failure of a call on a closed store. */
  closedError(): McpOAuthError {
    return toStoreError(new Error('closed'), 'connect', this.#where);
  }

  /** Opens the client once (ours, or the application's if it is not open yet). */
  async #ready(): Promise<void> {
    if (this.#closed) throw this.closedError();
    const client = this.#client;
    if (!this.#connecting && client.isOpen === false && typeof client.connect === 'function') {
      const pending = client.connect();
      this.#connecting = pending;
      // The client keeps trying in the background after our caller gave up waiting.
      pending.then(
        () => {},
        () => {
          if (this.#connecting === pending) this.#connecting = undefined;
        },
      );
    }
    if (this.#connecting)
      await this.#bounded(this.#untilConnectedOrFailed(this.#connecting), 'connect');
  }

  /**
   * Our own client keeps retrying a failed first connection in the background; the caller
   * hears of the first failure at once (ECONNREFUSED, ...) instead of waiting it out.
   */
  #untilConnectedOrFailed(connecting: Promise<unknown>): Promise<unknown> {
    const client = this.#owned?.client;
    if (!client?.on || !client.off) return connecting;
    const { on, off } = { on: client.on.bind(client), off: client.off.bind(client) };
    let listener: ((error: unknown) => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      listener = reject;
      on('error', listener);
    });
    return Promise.race([connecting, failed]).finally(() => {
      if (listener) off('error', listener);
    });
  }

  /** Races `promise` against commandTimeoutMs, mapping any failure to a typed error. */
  async #bounded<T>(promise: Promise<T>, op: Operation, key?: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CallTimeout(this.#timeoutMs)), this.#timeoutMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } catch (error) {
      throw toStoreError(error, op, { ...this.#where, ...(key === undefined ? {} : { key }) });
    } finally {
      clearTimeout(timer);
    }
  }

  async get(name: string, op: Operation, key?: string): Promise<string | undefined> {
    await this.#ready();
    const value = await this.#bounded(this.#client.get(name), op, key);
    return value === null || value === undefined ? undefined : String(value);
  }

  /** Runs a script by SHA-1, loading it with EVAL the first time a Redis node lacks it. */
  async run(
    s: Script,
    keys: string[],
    args: string[],
    op: Operation,
    key?: string,
  ): Promise<unknown> {
    await this.#ready();
    const options = { keys, arguments: args };
    const attempt = this.#client.evalSha(s.sha1, options).catch((error: unknown) => {
      if (replyCode(error) === 'NOSCRIPT') return this.#client.eval(s.source, options);
      throw error;
    });
    return this.#bounded(attempt, op, key);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#owned?.close();
  }
}

function own(client: unknown): Owned {
  const c = client as Owned['client'] & {
    isReady?: boolean;
    close(): Promise<void>;
    destroy(): void | Promise<void>;
  };
  // Our client reports every failed reconnection as an 'error' event; the calls that fail
  // meanwhile already throw typed errors, so the events are not needed (and an unheard
  // 'error' would end the process).
  c.on?.('error', () => {});
  return {
    client: c,
    async close() {
      if (!c.isOpen) return;
      // A graceful close waits for pending replies; a client that is not connected has none.
      if (c.isReady === false) await c.destroy();
      else await c.close().catch(() => c.destroy());
    },
  };
}
