import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import { errorResponse, type RequestId } from './messages.ts';

/** MCP's "unsupported protocol version" error; its data names `supported` and `requested`. */
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;

/** MCP 2026-07-28: the request's headers disagree with its body (the server is of that era). */
export const HEADER_MISMATCH = -32020;

/** The first revision of the stateless era (`server/discover`, a `_meta` envelope per request). */
const FIRST_STATELESS_REVISION = '2026-07-28';

const isStateless = (revision: string) => revision >= FIRST_STATELESS_REVISION;

interface RevisionErrorData {
  supported: string[];
  requested: string;
}

function revisionData(data: unknown): RevisionErrorData | undefined {
  const { supported, requested } = (data ?? {}) as { supported?: unknown; requested?: unknown };
  if (!Array.isArray(supported) || !supported.every((v) => typeof v === 'string')) return;
  if (typeof requested !== 'string') return;
  return { supported, requested };
}

/** What the host's user can do when the server and the host share no revision. */
function revisionAdvice(server: URL, { supported, requested }: RevisionErrorData): string {
  const preferred = supported.find(isStateless) ?? supported[0] ?? 'another revision';
  const host = `a host that speaks MCP ${preferred} (with the MCP SDK v2: versionNegotiation 'auto')`;
  const operator = isStateless(requested)
    ? `a server that speaks ${requested}`
    : `serving 2025-era clients (the MCP SDK's createMcpHandler does with legacy: 'stateless')`;
  return `${server.href} speaks MCP ${supported.join(', ')} and not ${requested}, the revision of this host. The bridge forwards messages unchanged and does not translate between revisions: use ${host}, or ask the server's operator about ${operator}.`;
}

/**
 * The server's own refusal of the host's revision (-32022), with a message that names both
 * revisions and the way out; code and data stay as the server sent them, so an SDK client
 * still reads them to negotiate.
 */
export function explainRevisionRefusal(
  server: URL,
  error: { code?: unknown; message?: unknown; data?: unknown },
): typeof error {
  const data = revisionData(error.data);
  if (error.code !== UNSUPPORTED_PROTOCOL_VERSION || !data) return error;
  return { ...error, message: revisionAdvice(server, data) };
}

/**
 * A `server/discover` (MCP 2026-07-28 and later) the server did not answer with a result: it
 * is a 2025-era server. The host gets -32022 naming the revisions the bridge can carry to it,
 * so an SDK client falls back to `initialize` by itself, or names the mismatch if it cannot.
 */
export function notStatelessServer(id: RequestId, server: URL, requested: string) {
  const data = { supported: [...SUPPORTED_PROTOCOL_VERSIONS], requested };
  const message = `${server.href} did not answer server/discover: it speaks a 2025-era revision of MCP (${LATEST_PROTOCOL_VERSION} or earlier, with initialize), not ${requested}, the revision of this host. The bridge forwards messages unchanged and does not translate between revisions: use a host that speaks MCP ${LATEST_PROTOCOL_VERSION} (with the MCP SDK v2: versionNegotiation 'auto', which falls back by itself), or ask the server's operator about a server that speaks ${requested}.`;
  return errorResponse(id, UNSUPPORTED_PROTOCOL_VERSION, message, data);
}
