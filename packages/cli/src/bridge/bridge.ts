import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { withErrorAnswers } from './error-answers.ts';
import {
  BRIDGE_ERROR,
  describeMessage,
  errorResponse,
  isRequest,
  isResponse,
  type RequestId,
  type RequestMessage,
} from './messages.ts';
import { createParamHeaders } from './param-headers.ts';
import {
  createRemoteTransport,
  type FetchFn,
  httpStatusOf,
  type RemoteKind,
  suggestsOtherTransport,
  type TransportStrategy,
  transportOrder,
} from './remote-transport.ts';
import { watchResponseStreams } from './response-streams.ts';
import {
  explainRevisionRefusal,
  HEADER_MISMATCH,
  notStatelessServer,
  UNSUPPORTED_PROTOCOL_VERSION,
} from './revision-errors.ts';
import { envelopeRevision, withRevisionHeaders } from './revision-headers.ts';
import { createStreamCancels } from './stream-cancels.ts';
import { toolFilter, withoutHiddenTools } from './tool-filter.ts';

/**
 * How much a bridge log line matters, from `debug` (per message, with `traceMessages`) to
 * `error`.
 *
 * @example
 * ```ts
 * import { type BridgeLogLevel, runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const log = (level: BridgeLogLevel, message: string) => {
 *   if (level !== 'debug') process.stderr.write(`[${level}] ${message}\n`);
 * };
 * await runBridge({ serverUrl: 'https://mcp.example.com/mcp', oauth: { fetch }, log });
 * ```
 */
export type BridgeLogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * How a failure is told to the host: a JSON-RPC error's code, message and data.
 *
 * @example
 * ```ts
 * import { BRIDGE_ERROR, type BridgeError, runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const describeError = (error: unknown): BridgeError => ({
 *   code: BRIDGE_ERROR.remoteFailed,
 *   message: `The MCP server failed: ${error instanceof Error ? error.message : String(error)}`,
 * });
 * await runBridge({ serverUrl: 'https://mcp.example.com/mcp', oauth: { fetch }, describeError });
 * ```
 */
export interface BridgeError {
  /** The JSON-RPC error code, e.g. one of `BRIDGE_ERROR`. */
  code: number;
  /** The error message the host shows. */
  message: string;
  /** More for the host, e.g. `{ command }` to log in again. */
  data?: Record<string, unknown>;
}

/**
 * Options of `runBridge`: the remote server, its authorized fetch, and the host's streams.
 *
 * @example
 * ```ts
 * import { type BridgeOptions, runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const options: BridgeOptions = {
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   oauth: { fetch }, // an authorized fetch; core's client in real use
 *   transport: 'http-only',
 *   ignoreTools: ['delete_*'],
 * };
 * await runBridge(options);
 * ```
 */
export interface BridgeOptions {
  /** The remote MCP server. */
  serverUrl: string | URL;
  /** Its authorized fetch: `createOAuthClient(...)` from `@mcp-oauth/core` fits. */
  oauth: {
    /** A fetch that adds the access token to each request (and refreshes it). */
    fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  };
  /** Where the host writes (default process.stdin). */
  stdin?: Readable;
  /** Where the host reads: MCP messages only (default process.stdout). */
  stdout?: Writable;
  /** Default 'http-first': Streamable HTTP, else the legacy HTTP+SSE transport. */
  transport?: TransportStrategy;
  /** Extra headers on every request to the remote server (never logged). */
  headers?: Record<string, string>;
  /** Tools hidden from tools/list and refused in tools/call (`*` wildcards). */
  ignoreTools?: readonly string[];
  /** Lines for a log; never a token or a message's content. */
  log?: (level: BridgeLogLevel, message: string) => void;
  /** Also a debug line per message forwarded (its method and id, never its content). */
  traceMessages?: boolean;
  /**
   * A message the remote server could not take: resolve true once the cause is fixed (a new
   * login, say) to send it once more; false to answer the host with the failure.
   */
  recover?: (error: unknown) => Promise<boolean>;
  /** The JSON-RPC error the host gets for a failure (default: the error's message). */
  describeError?: (error: unknown) => BridgeError;
  /** Aborting ends the bridge as the host closing stdin does. */
  signal?: AbortSignal;
}

/**
 * How a bridge ended, and what it carried.
 *
 * @example
 * ```ts
 * import { runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const result = await runBridge({ serverUrl: 'https://mcp.example.com/mcp', oauth: { fetch } });
 * console.error(
 *   `${result.reason}: ${result.forwarded.toRemote} messages sent over ${result.transport ?? 'no transport'}`,
 * );
 * ```
 */
export interface BridgeResult {
  /** Why it ended: the host closed stdin, stdout closed, or `signal` aborted. */
  reason: 'stdin_closed' | 'stdout_closed' | 'aborted';
  /** The transport used with the remote server, if one was opened. */
  transport: RemoteKind | undefined;
  /** How many JSON-RPC messages were forwarded each way. */
  forwarded: {
    /** From the host to the remote server. */
    toRemote: number;
    /** From the remote server (or the bridge itself) to the host. */
    toHost: number;
  };
}

/**
 * A stdio bridge: speaks MCP over stdio to a host (the SDK's `StdioServerTransport`) and
 * Streamable HTTP, or the legacy HTTP+SSE transport, to a remote server (the SDK's client
 * transports with an authorized fetch), forwarding every JSON-RPC message unchanged both
 * ways. A request the remote cannot take is answered with a JSON-RPC error, never left
 * hanging. Resolves when the host closes stdin (or `signal` aborts).
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { runBridge } from '@mcp-oauth/cli/bridge';
 * import { fileStore } from '@mcp-oauth/store-file';
 *
 * const serverUrl = 'https://mcp.example.com/mcp';
 * const oauth = createOAuthClient({ serverUrl, store: fileStore() });
 * const result = await runBridge({ serverUrl, oauth });
 * console.error(`bridge ended: ${result.reason}`);
 * ```
 */
export async function runBridge(options: BridgeOptions): Promise<BridgeResult> {
  const url = new URL(options.serverUrl);
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const log = options.log ?? (() => {});
  const traceMessages = options.traceMessages === true;
  const headers = options.headers ?? {};
  const fetch: FetchFn = options.oauth.fetch;
  const order = transportOrder(options.transport ?? 'http-first');
  const hidden = toolFilter(options.ignoreTools ?? []);
  const describeError = options.describeError ?? defaultDescribeError;
  const host = new StdioServerTransport(stdin, stdout);

  let remote: RemoteTransport | undefined;
  let remoteKind: RemoteKind | undefined;
  let opening: Promise<void> | undefined;
  let closed = false;
  const counts = { toRemote: 0, toHost: 0 };
  /** Ids of the host's tools/list and initialize requests, whose results the bridge reads. */
  const toolLists = new Set<RequestId>();
  const initializes = new Set<RequestId>();
  /** Arguments tools declare as headers (MCP 2026-07-28), learnt from tools/list results. */
  const paramHeaders = createParamHeaders();
  /** 2026-07-28 requests' HTTP exchanges, closed when the host cancels one; and those it did. */
  const streamCancels = createStreamCancels();
  const cancelledByHost = new Set<RequestId>();
  /** The host's server/discover requests (MCP 2026-07-28 and later), with the revision asked. */
  const discovers = new Map<RequestId, string>();
  /** The host's initialize request, sent again when the server has forgotten the session. */
  let hostInitialize: (JSONRPCMessage & RequestMessage) | undefined;
  /** Responses to the bridge's own requests (a new session's initialize), not the host's. */
  const ownRequests = new Map<RequestId, (response: JSONRPCMessage) => void>();
  let reinitializing: Promise<void> | undefined;
  let sessions = 0;
  /** The host's requests sent to the server and not answered yet. */
  const unanswered = new Set<RequestId>();
  /** A response stream ended without the response, for good: the host gets an error instead. */
  const streamEnded = (id: RequestId) => {
    // the SDK delivers what the stream carried before its end reaches here; a moment's grace
    setTimeout(() => {
      if (closed || !unanswered.delete(id)) return;
      log(
        'warn',
        `the server closed the response stream of request #${String(id)} before answering`,
      );
      toHost(
        errorResponse(
          id,
          BRIDGE_ERROR.remoteFailed,
          `${url.href} closed the response stream before answering (the server may have restarted); the request may or may not have been carried out.`,
        ),
      );
    }, 200).unref();
  };

  const toHost = (message: JSONRPCMessage): void => {
    if (closed) return;
    counts.toHost += 1;
    host
      .send(message)
      .catch((error: unknown) => log('warn', `could not write to the host: ${String(error)}`));
  };

  const fromRemote = (transport: RemoteTransport) => (message: JSONRPCMessage) => {
    if (isResponse(message)) {
      const own = ownRequests.get(message.id);
      if (own) {
        ownRequests.delete(message.id);
        own(message);
        return;
      }
      const { id } = message;
      streamCancels.settle(id);
      // the host cancelled it: it expects no answer
      if (cancelledByHost.delete(id)) return;
      unanswered.delete(id);
      if (initializes.delete(id)) {
        const version = (message.result as { protocolVersion?: unknown } | undefined)
          ?.protocolVersion;
        // as the SDK's Client does after initialize: later requests carry MCP-Protocol-Version
        if (typeof version === 'string') transport.setProtocolVersion?.(version);
      }
      if (toolLists.delete(id) && 'result' in message) {
        paramHeaders.learn(message.result);
        if (hidden)
          message = {
            ...message,
            result: withoutHiddenTools(message.result, hidden),
          } as JSONRPCMessage;
      }
      const discovered = discovers.get(id);
      discovers.delete(id);
      if ('error' in message && message.error) {
        const error = message.error as { code?: unknown };
        // anything but an answer or a revision refusal: the server knows no server/discover
        if (
          discovered !== undefined &&
          error.code !== UNSUPPORTED_PROTOCOL_VERSION &&
          error.code !== HEADER_MISMATCH
        )
          message = notStatelessServer(id, url, discovered);
        else message = { ...message, error: explainRevisionRefusal(url, error) } as JSONRPCMessage;
      }
    }
    if (traceMessages) log('debug', `← ${describeMessage(message)}`);
    toHost(message);
  };

  const open = async (first: JSONRPCMessage): Promise<void> => {
    let lastError: unknown;
    for (const [index, kind] of order.entries()) {
      // the SSE transport reports a failed fetch by its message only: keep the error itself
      let fetchFailure: unknown;
      const transportFetch: FetchFn =
        kind === 'sse'
          ? (input, init) =>
              fetch(input, init).catch((error: unknown) => {
                fetchFailure = error;
                throw error;
              })
          : watchResponseStreams(
              withErrorAnswers(withRevisionHeaders(fetch, paramHeaders, streamCancels)),
              streamEnded,
            );
      const transport = createRemoteTransport(kind, url, transportFetch, headers);
      transport.onmessage = fromRemote(transport);
      transport.onerror = (error) => log('debug', `remote transport: ${error.message}`);
      transport.onclose = () => {
        if (remote === transport) remote = undefined;
      };
      try {
        await transport.start();
        await transport.send(first);
        remote = transport;
        remoteKind = kind;
        log(
          'info',
          `connected to ${url.href} (${kind === 'sse' ? 'HTTP+SSE' : 'Streamable HTTP'})`,
        );
        return;
      } catch (failure) {
        const error = fetchFailure ?? failure;
        lastError = error;
        await transport.close().catch(() => {});
        const next = order[index + 1];
        if (!next || !suggestsOtherTransport(error)) throw error;
        log('info', `${kind} refused (${errorText(error)}); trying ${next}`);
      }
    }
    throw lastError;
  };

  /** Sends through the open transport, opening one with this message if there is none. */
  const send = async (message: JSONRPCMessage): Promise<void> => {
    while (opening) await opening.catch(() => {});
    if (remote) return remote.send(message);
    opening = open(message);
    try {
      await opening;
    } finally {
      opening = undefined;
    }
  };

  /**
   * The server answered 404 to a request in a session (it restarted, or expired the session):
   * a new session, initialized with the host's own initialize request, so the host, which
   * knows nothing of sessions, carries on (MCP: the client starts a new session).
   */
  const reinitialize = (): Promise<void> => {
    reinitializing ??= (async () => {
      const stale = remote;
      remote = undefined;
      // not closed at once: that would abort requests still in flight through it (they get
      // their own 404 and are sent again in the new session)
      if (stale) setTimeout(() => void stale.close().catch(() => {}), 5000).unref();
      if (!hostInitialize) return;
      const id = `mcp-oauth-proxy-session-${++sessions}`;
      const answered = new Promise<JSONRPCMessage>((resolve, reject) => {
        ownRequests.set(id, resolve);
        setTimeout(() => {
          ownRequests.delete(id);
          reject(new Error('The server did not answer initialize for a new session.'));
        }, 60_000).unref();
      });
      initializes.add(id);
      await send({ ...hostInitialize, id });
      const response = await answered;
      if ('error' in response)
        throw new Error(
          `The server refused a new session: ${String((response.error as { message?: unknown }).message)}`,
        );
      await send({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage);
      log('info', 'the server had forgotten the session: started a new one');
    })().finally(() => {
      reinitializing = undefined;
    });
    return reinitializing;
  };

  /** A 404 in a session: the session is gone (not the endpoint). */
  const sessionGone = (error: unknown, transport: RemoteTransport | undefined): boolean =>
    httpStatusOf(error) === 404 &&
    transport?.sessionId !== undefined &&
    hostInitialize !== undefined;

  /**
   * The host cancels a 2026-07-28 request: over HTTP that revision cancels by closing the
   * request's response stream, and no notification is sent. Any other cancellation is forwarded.
   */
  const cancelStream = (message: JSONRPCMessage): boolean => {
    if (!('method' in message) || message.method !== 'notifications/cancelled') return false;
    const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
    if ((typeof id !== 'string' && typeof id !== 'number') || !streamCancels.cancel(id))
      return false;
    cancelledByHost.add(id);
    unanswered.delete(id);
    toolLists.delete(id);
    discovers.delete(id);
    return true;
  };

  const forward = async (message: JSONRPCMessage): Promise<void> => {
    if (traceMessages) log('debug', `→ ${describeMessage(message)}`);
    if (cancelStream(message)) return;
    if (isRequest(message)) {
      if (message.method === 'tools/call' && hidden?.(String(message.params?.name))) {
        toHost(
          errorResponse(
            message.id,
            BRIDGE_ERROR.toolHidden,
            `The tool "${String(message.params?.name)}" is not available (hidden by the bridge's configuration).`,
          ),
        );
        return;
      }
      if (message.method === 'tools/list') toolLists.add(message.id);
      if (message.method === 'server/discover')
        discovers.set(message.id, envelopeRevision(message) ?? 'unknown');
      if (message.method === 'initialize') {
        initializes.add(message.id);
        hostInitialize = message;
      }
      unanswered.add(message.id);
    }
    counts.toRemote += 1;
    try {
      let via: RemoteTransport | undefined;
      try {
        while (reinitializing) await reinitializing.catch(() => {});
        via = remote;
        await send(message);
      } catch (error) {
        if (closed) throw error;
        if (sessionGone(error, via)) {
          // once per session: requests that failed together share the new one
          if (remote === via || remote === undefined) await reinitialize();
        } else if (!(await options.recover?.(error))) throw error;
        log('info', `sending ${describeMessage(message)} again`);
        await send(message);
      }
    } catch (error) {
      if (closed) return;
      if (isRequest(message)) streamCancels.settle(message.id);
      // the host cancelled it (its stream was closed for that): it expects no answer
      if (isRequest(message) && cancelledByHost.delete(message.id)) return;
      const discovered = isRequest(message) ? discovers.get(message.id) : undefined;
      if (isRequest(message) && discovered !== undefined && suggestsOtherTransport(error)) {
        // refused over HTTP without a JSON-RPC answer (a 2025-era server with sessions, say)
        discovers.delete(message.id);
        unanswered.delete(message.id);
        log('info', `the server does not speak MCP ${discovered}: ${errorText(error)}`);
        toHost(notStatelessServer(message.id, url, discovered));
        return;
      }
      const described = describeError(error);
      log('warn', `${describeMessage(message)} failed: ${described.message}`);
      if (isRequest(message)) {
        discovers.delete(message.id);
        unanswered.delete(message.id);
        toolLists.delete(message.id);
        initializes.delete(message.id);
        toHost(errorResponse(message.id, described.code, described.message, described.data));
      }
    }
  };

  const finished = new Promise<BridgeResult['reason']>((resolve) => {
    stdin.once('end', () => resolve('stdin_closed'));
    stdin.once('close', () => resolve('stdin_closed'));
    stdout.once('error', () => resolve('stdout_closed'));
    stdout.once('close', () => resolve('stdout_closed'));
    if (options.signal?.aborted) resolve('aborted');
    options.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
  });

  host.onmessage = (message) => void forward(message);
  host.onerror = (error) => log('warn', `unreadable message from the host: ${error.message}`);
  await host.start();
  const reason = await finished;
  closed = true;
  log('info', `closing (${reason.replace('_', ' ')})`);
  await host.close().catch(() => {});
  const last = remote;
  remote = undefined;
  if (last) await closeRemote(last, log);
  return { reason, transport: remoteKind, forwarded: counts };
}

type RemoteTransport = ReturnType<typeof createRemoteTransport>;

/** Ends a Streamable HTTP session politely (bounded), then closes the transport. */
async function closeRemote(
  transport: RemoteTransport & { terminateSession?(): Promise<void> },
  log: NonNullable<BridgeOptions['log']>,
): Promise<void> {
  if (transport.sessionId && transport.terminateSession) {
    await Promise.race([
      transport
        .terminateSession()
        .catch((error: unknown) => log('debug', `session not terminated: ${errorText(error)}`)),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ]);
  }
  await transport.close().catch(() => {});
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function defaultDescribeError(error: unknown): BridgeError {
  const status = httpStatusOf(error);
  return {
    code: BRIDGE_ERROR.remoteFailed,
    message: `${status ? `HTTP ${status}: ` : ''}${errorText(error)}`,
    ...(status ? { data: { status } } : {}),
  };
}

export type { Transport };
