import type { TokenStore } from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import { printable } from '@mcp-oauth/internal';

/**
 * The device code a bridge's login waits on (RFC 8628): what the person opens, and the code to
 * enter. Never the `device_code` itself, which only the polling process holds.
 */
export interface PendingDeviceCode {
  verificationUri: string;
  verificationUriComplete?: string;
  userCode: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * The store key of the code a bridge shows for a server, so that the other bridges sharing the
 * store answer their hosts with the same code instead of waiting on the login's lock.
 */
function keyOf(serverUrl: string): string {
  return `proxy-device:${canonicalResource(serverUrl)}`;
}

/** The code another bridge (or this one) shows for the server, while it is valid. */
export async function readPendingCode(
  store: TokenStore,
  serverUrl: string,
  now = Date.now(),
): Promise<PendingDeviceCode | undefined> {
  const record = await store.get(keyOf(serverUrl));
  if (
    typeof record?.verificationUri !== 'string' ||
    typeof record.userCode !== 'string' ||
    typeof record.expiresAt !== 'number' ||
    record.expiresAt <= now
  )
    return undefined;
  // shown to a host and logged: made printable, for a record an older bridge wrote unchecked
  return {
    verificationUri: printable(record.verificationUri),
    ...(typeof record.verificationUriComplete === 'string'
      ? { verificationUriComplete: printable(record.verificationUriComplete) }
      : {}),
    userCode: printable(record.userCode),
    expiresAt: record.expiresAt,
  };
}

/** Shares the code this bridge shows (under the server's login lock). */
export async function writePendingCode(
  store: TokenStore,
  serverUrl: string,
  code: PendingDeviceCode,
): Promise<void> {
  await store.set(keyOf(serverUrl), { v: 1, kind: 'proxy-device-code', ...code });
}

/** Once the login that showed it ended, however it ended. */
export async function clearPendingCode(store: TokenStore, serverUrl: string): Promise<void> {
  await store.delete(keyOf(serverUrl));
}
