import { McpOAuthError, type McpOAuthErrorCode } from '@mcp-oauth/core/store';
import { ErrorReply } from '@redis/client';

/** What the store was doing when Redis failed. */
export type Operation = 'connect' | 'read' | 'write' | 'delete' | 'list' | 'lock' | 'release';

export interface Where {
  /** Redis, described without credentials ("redis://127.0.0.1:6379/0", "cluster …"). */
  target: string;
  /** The option that points the store at Redis: `url`, `client`, `cluster` or `sentinel`. */
  option: string;
  key?: string;
}

/** Raised by our own timer: the call may still complete on the server. */
export class CallTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'CallTimeout';
  }
}

const CONNECTION_ERRORS = new Set([
  'ClientOfflineError',
  'ClientClosedError',
  'SocketClosedUnexpectedlyError',
  'ConnectionTimeoutError',
  'SocketTimeoutError',
  'ReconnectStrategyError',
  'RootNodesUnavailableError',
  'DisconnectsClientError',
  'TimeoutError',
  'TimeoutReadError',
]);
const ERRNO =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNABORTED)$/;

/** The class name of an error: node-redis sets no `name`, its classes tell errors apart. */
function kindOf(error: unknown): string {
  const ctor = (error as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof ctor === 'string' && ctor !== 'Error'
    ? ctor
    : String((error as { name?: unknown } | null)?.name ?? 'Error');
}

const REPLY_CLASSES = new Set(['ErrorReply', 'SimpleError', 'BlobError', 'ReplyError']);

/** The first word of a Redis error reply (`READONLY`, `NOAUTH`, ...), if `error` is one. */
export function replyCode(error: unknown): string | undefined {
  if (!(error instanceof ErrorReply) && !REPLY_CLASSES.has(kindOf(error))) return undefined;
  const message = (error as { message?: unknown }).message;
  return (typeof message === 'string' && /^([A-Z][A-Z_-]*)\b/.exec(message)?.[1]) || 'ERR';
}

/** A description of the failure without anything a credential could hide in. */
function safeCause(error: unknown): Error {
  const e = error as { name?: unknown; message?: unknown; code?: unknown } | null;
  const name = kindOf(error);
  const message = (typeof e?.message === 'string' ? e.message : String(error))
    .replace(/\/\/[^/@\s]*@/g, '//***@')
    .slice(0, 300);
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return new Error(`${name}${code}: ${message}`);
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ERRNO.test(code)) return code;
  const nested = (error as { cause?: unknown; socketError?: unknown } | null) ?? undefined;
  if (nested?.socketError) return errnoOf(nested.socketError);
  if (nested?.cause) return errnoOf(nested.cause);
  return undefined;
}

const kept = (op: Operation) =>
  op === 'read' || op === 'list'
    ? ''
    : ' Nothing was changed by this call; tokens already stored are kept.';

/**
 * Turns what a node-redis client threw into a typed `McpOAuthError` whose message says
 * what to do next. Never keeps the original error object (no credentials travel along).
 */
export function toStoreError(error: unknown, op: Operation, where: Where): McpOAuthError {
  if (McpOAuthError.isInstance(error)) return error;
  const details = { option: where.option, target: where.target, key: where.key, operation: op };
  const make = (code: McpOAuthErrorCode, reason: string, message: string) =>
    new McpOAuthError(code, message, { cause: safeCause(error), details: { ...details, reason } });
  const at = `Redis (${where.target})`;

  if (error instanceof CallTimeout) {
    return make(
      'store_unavailable',
      'timeout',
      `${at} did not answer within ${error.ms} ms (${op}). Check that Redis is up and reachable, or raise the store's commandTimeoutMs option.${kept(op)}`,
    );
  }
  const reply = replyCode(error);
  switch (reply) {
    case 'READONLY':
      return make(
        'store_unavailable',
        'readonly',
        `${at} refused a write: it is a read-only replica (a failover is in progress, or the store's ${where.option} option points at a replica). Retry once a primary is elected; point ${where.option} at the primary, or use the sentinel or cluster option so the client follows failovers.`,
      );
    case 'LOADING':
    case 'MASTERDOWN':
    case 'CLUSTERDOWN':
    case 'TRYAGAIN':
    case 'BUSY':
    case 'FAILOVER':
      return make(
        'store_unavailable',
        reply.toLowerCase(),
        `${at} is temporarily unable to serve (${reply}). Retry in a moment.${kept(op)}`,
      );
    case 'NOAUTH':
    case 'WRONGPASS':
      return make(
        'store_auth_failed',
        'auth',
        `${at} rejected the store's credentials (${reply}). Put the right user name and password in the store's ${where.option} option.`,
      );
    case 'NOPERM':
      return make(
        'store_permission_denied',
        'acl',
        `${at} refused a command by ACL (NOPERM). The store's Redis user needs +get +eval +evalsha on the keys under its keyPrefix option (~<keyPrefix>:*).`,
      );
    case 'OOM':
      return make(
        'store_write_failed',
        'oom',
        `${at} is out of memory (maxmemory reached) and refused the write; the previous record is kept. Raise maxmemory or free memory; use maxmemory-policy noeviction so tokens are never evicted.`,
      );
    case 'WRONGTYPE':
      return make(
        'store_corrupt',
        'wrong_type',
        `${at} holds a key of another type where the store keeps its data: another application writes under the same key prefix. Give the store its own keyPrefix option or database.`,
      );
    case undefined:
      break;
    default:
      return make(
        op === 'read' || op === 'list' ? 'store_read_failed' : 'store_write_failed',
        'reply',
        `${at} answered an error (${reply}) during ${op}.${kept(op)}`,
      );
  }
  const name = kindOf(error);
  const errno = errnoOf(error);
  if (CONNECTION_ERRORS.has(name) || errno) {
    return make(
      'store_unavailable',
      'connection',
      `Could not reach ${at}${` (${errno ?? name})`}. Check that Redis is running and that the store's ${where.option} option points at it; the client reconnects by itself, so retry.${kept(op)}`,
    );
  }
  return make(
    op === 'read' || op === 'list' ? 'store_read_failed' : 'store_write_failed',
    'unknown',
    `${at} failed during ${op}: ${safeCause(error).message}.${kept(op)}`,
  );
}
