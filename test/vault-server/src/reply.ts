import { randomUUID } from 'node:crypto';

/** What a handler answers: an HTTP status and an optional JSON body (204 has none). */
export interface VaultReply {
  readonly status: number;
  readonly body?: unknown;
}

/** Vault's error envelope: `{"errors":[...]}`, as its HTTP layer writes it. */
export function errorReply(status: number, ...messages: string[]): VaultReply {
  return { status, body: { errors: messages } };
}

export const permissionDenied = (): VaultReply => errorReply(403, 'permission denied');
export const sealedReply = (): VaultReply => errorReply(503, 'Vault is sealed');
export const notFound = (): VaultReply => errorReply(404);
export const noContent = (): VaultReply => ({ status: 204 });

export function noHandler(path: string): VaultReply {
  return errorReply(404, `no handler for route "${path}". route entry not found.`);
}

/** The logical response envelope every successful Vault answer carries. */
export function envelope(
  fields: { data?: unknown; auth?: unknown; warnings?: string[] | null },
  mountType = '',
): Record<string, unknown> {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: fields.data ?? null,
    wrap_info: null,
    warnings: fields.warnings ?? null,
    auth: fields.auth ?? null,
    mount_type: mountType,
  };
}

export function ok(fields: { data?: unknown; auth?: unknown }, mountType = ''): VaultReply {
  return { status: 200, body: envelope(fields, mountType) };
}

/** RFC 3339 with nanoseconds, as Vault prints times (`2018-03-22T02:24:06.945319214Z`). */
export function vaultTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
