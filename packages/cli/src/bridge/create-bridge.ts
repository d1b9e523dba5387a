import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { BridgeError, BridgeOptions, BridgeResult } from './bridge.ts';
import { defaultDescribeError } from './describe-error.ts';
import type { RequestId, RequestMessage } from './messages.ts';
import { createParamHeaders, type ParamHeaders } from './param-headers.ts';
import {
  type createRemoteTransport,
  type FetchFn,
  type RemoteKind,
  transportOrder,
} from './remote-transport.ts';
import { createStreamCancels, type StreamCancels } from './stream-cancels.ts';
import { toolFilter } from './tool-filter.ts';

/** A transport to the remote server: Streamable HTTP or HTTP+SSE. */
export type RemoteTransport = ReturnType<typeof createRemoteTransport>;

/**
 * One running bridge, as a plain object: its options, read once, and what it knows of the
 * host's requests and the remote server. Its operations are functions of their own files:
 * `run-bridge.ts` (start, wait for the end, close), `forward-to-remote.ts` (a message from the
 * host), `forward-to-host.ts` (a message from the remote server), `send-to-remote.ts` and
 * `open-remote.ts` (the transport, chosen on first use), `reinitialize-session.ts` (a session
 * the server has forgotten), `cancel-stream.ts` (the host's cancellations), `send-to-host.ts`
 * and `answer-ended-stream.ts`.
 */
export interface Bridge {
  readonly options: BridgeOptions;
  readonly url: URL;
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly log: NonNullable<BridgeOptions['log']>;
  readonly traceMessages: boolean;
  readonly headers: Record<string, string>;
  readonly fetch: FetchFn;
  readonly order: RemoteKind[];
  readonly hidden: ((name: string) => boolean) | undefined;
  readonly describeError: (error: unknown) => BridgeError;
  readonly host: StdioServerTransport;
  remote: RemoteTransport | undefined;
  remoteKind: RemoteKind | undefined;
  opening: Promise<void> | undefined;
  closed: boolean;
  readonly counts: BridgeResult['forwarded'];
  /** Ids of the host's tools/list and initialize requests, whose results the bridge reads. */
  readonly toolLists: Set<RequestId>;
  readonly initializes: Set<RequestId>;
  /** Arguments tools declare as headers (MCP 2026-07-28), learnt from tools/list results. */
  readonly paramHeaders: ParamHeaders;
  /** 2026-07-28 requests' HTTP exchanges, closed when the host cancels one; and those it did. */
  readonly streamCancels: StreamCancels;
  readonly cancelledByHost: Set<RequestId>;
  /** The host's server/discover requests (MCP 2026-07-28 and later), with the revision asked. */
  readonly discovers: Map<RequestId, string>;
  /** The host's initialize request, sent again when the server has forgotten the session. */
  hostInitialize: (JSONRPCMessage & RequestMessage) | undefined;
  /** Responses to the bridge's own requests (a new session's initialize), not the host's. */
  readonly ownRequests: Map<RequestId, (response: JSONRPCMessage) => void>;
  reinitializing: Promise<void> | undefined;
  sessions: number;
  /** The host's requests sent to the server and not answered yet. */
  readonly unanswered: Set<RequestId>;
}

/** A bridge with `options` read, nothing forwarded yet and no remote transport open. */
export function createBridge(options: BridgeOptions): Bridge {
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
  return {
    options,
    url,
    stdin,
    stdout,
    log,
    traceMessages,
    headers,
    fetch,
    order,
    hidden,
    describeError,
    host,
    remote: undefined,
    remoteKind: undefined,
    opening: undefined,
    closed: false,
    counts: { toRemote: 0, toHost: 0 },
    toolLists: new Set<RequestId>(),
    initializes: new Set<RequestId>(),
    paramHeaders: createParamHeaders(),
    streamCancels: createStreamCancels(),
    cancelledByHost: new Set<RequestId>(),
    discovers: new Map<RequestId, string>(),
    hostInitialize: undefined,
    ownRequests: new Map<RequestId, (response: JSONRPCMessage) => void>(),
    reinitializing: undefined,
    sessions: 0,
    unanswered: new Set<RequestId>(),
  };
}
