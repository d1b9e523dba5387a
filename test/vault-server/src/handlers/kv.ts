import type { KvEngine } from '../kv-engine.ts';
import {
  errorReply,
  noContent,
  notFound,
  ok,
  permissionDenied,
  type VaultReply,
  vaultTime,
} from '../reply.ts';
import { allowed, type ServerState, type VaultRequest } from '../state.ts';

const MOUNT_TYPE = 'kv';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** mapstructure.WeakDecode of an int: numbers, numeric strings, booleans. */
function weakInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

function versionsParam(body: unknown): number[] | undefined {
  if (!isObject(body) || !Array.isArray(body.versions)) return undefined;
  const out: number[] = [];
  for (const v of body.versions) {
    const n = weakInt(v);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out.length > 0 ? out : undefined;
}

function readData(engine: KvEngine, key: string, query: URLSearchParams): VaultReply {
  const meta = engine.keys.get(key);
  if (!meta) return notFound();
  const wanted = weakInt(query.get('version') ?? '0') ?? 0;
  const version = wanted > 0 ? wanted : meta.currentVersion;
  const entry = meta.versions.get(version);
  if (!entry) return notFound();
  const metadata = engine.versionMetadata(version, entry);
  // A deleted or destroyed version answers 404 with its metadata and null data.
  if (entry.deletionTime !== undefined || entry.destroyed || entry.data === undefined) {
    return { status: 404, body: { data: { data: null, metadata } } };
  }
  return ok({ data: { data: JSON.parse(entry.data), metadata } }, MOUNT_TYPE);
}

function writeData(state: ServerState, engine: KvEngine, key: string, body: unknown): VaultReply {
  if (!isObject(body) || !isObject(body.data)) return errorReply(400, 'no data provided');
  let cas: number | undefined;
  if (isObject(body.options) && 'cas' in body.options) {
    cas = weakInt(body.options.cas);
    if (cas === undefined) return errorReply(400, 'error parsing check-and-set parameter');
  }
  const outcome = engine.write(key, body.data, cas);
  if (!outcome.ok) {
    state.stats.casConflicts += 1;
    return errorReply(400, outcome.error);
  }
  state.stats.writes += 1;
  return ok({ data: engine.versionMetadata(outcome.version, outcome.entry) }, MOUNT_TYPE);
}

function readMetadata(engine: KvEngine, key: string): VaultReply {
  const meta = engine.keys.get(key);
  if (!meta) return notFound();
  const versions: Record<string, unknown> = {};
  for (const [n, v] of meta.versions) {
    versions[String(n)] = {
      created_time: vaultTime(v.createdTime),
      deletion_time: v.deletionTime === undefined ? '' : vaultTime(v.deletionTime),
      destroyed: v.destroyed,
    };
  }
  return ok(
    {
      data: {
        cas_required: false,
        created_time: vaultTime(meta.createdTime),
        current_version: meta.currentVersion,
        custom_metadata: null,
        delete_version_after: '0s',
        max_versions: 0,
        oldest_version: meta.oldestVersion,
        updated_time: vaultTime(meta.updatedTime),
        versions,
      },
    },
    MOUNT_TYPE,
  );
}

/**
 * `/v1/<mount>/{data,metadata,delete,undelete,destroy}/<path>` of KV version 2.
 * `route` is e.g. `secret/data/a/b`, `op` the segment after the mount, `key` the rest.
 */
export function handleKv(
  state: ServerState,
  req: VaultRequest,
  op: string,
  key: string,
): VaultReply {
  const engine = state.engineFor(req.namespace);
  const route = `${state.mount}/${op}/${key}`;
  const unsupported = () => errorReply(405, 'unsupported operation');

  if (op === 'data') {
    if (key === '' || key.endsWith('/'))
      return errorReply(404, `no handler for route "${route}". route entry not found.`);
    switch (req.method) {
      case 'GET':
        return allowed(state, req, 'read', route)
          ? readData(engine, key, req.query)
          : permissionDenied();
      case 'POST': {
        // The existence check decides between the create and update capabilities.
        const capability = engine.keys.has(key) ? 'update' : 'create';
        return allowed(state, req, capability, route)
          ? writeData(state, engine, key, req.body)
          : permissionDenied();
      }
      case 'DELETE': {
        if (!allowed(state, req, 'delete', route)) return permissionDenied();
        const meta = engine.keys.get(key);
        if (meta) engine.softDelete(key, [meta.currentVersion]);
        return noContent();
      }
      default:
        return unsupported();
    }
  }

  if (op === 'metadata') {
    switch (req.method) {
      case 'LIST': {
        const folder = key === '' || key.endsWith('/') ? key : `${key}/`;
        if (!allowed(state, req, 'list', `${state.mount}/metadata/${folder}`))
          return permissionDenied();
        const keys = engine.list(folder);
        return keys.length === 0 ? notFound() : ok({ data: { keys } }, MOUNT_TYPE);
      }
      case 'GET':
        return allowed(state, req, 'read', route) ? readMetadata(engine, key) : permissionDenied();
      case 'DELETE':
        if (!allowed(state, req, 'delete', route)) return permissionDenied();
        engine.keys.delete(key);
        return noContent();
      default:
        return unsupported();
    }
  }

  // delete, undelete, destroy: POST with {"versions": [...]} and the update capability.
  if (req.method !== 'POST') return unsupported();
  if (!allowed(state, req, 'update', route)) return permissionDenied();
  const versions = versionsParam(req.body);
  if (!versions) return errorReply(400, 'no version number provided');
  if (op === 'delete') engine.softDelete(key, versions);
  else if (op === 'undelete') engine.undelete(key, versions);
  else engine.destroy(key, versions);
  return noContent();
}
