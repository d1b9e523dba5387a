import { randomBytes } from 'node:crypto';
import type { StoreRecord, TokenStore } from '@mcp-oauth/core';

/** An MCP server a user connected, kept in that user's namespace. */
export interface Connection {
  v: 1;
  kind: 'gateway-connection';
  /** Random: guessing another user's id gives nothing, and ids live in the user's namespace. */
  id: string;
  serverUrl: string;
  /** The processes that began and completed the authorization (shown on the page). */
  startedOn: string;
  completedOn: string;
  connectedAt: number;
}

const PREFIX = 'gateway:connection:';
const ID = /^[A-Za-z0-9_-]{16,64}$/;

export const newConnectionId = () => randomBytes(16).toString('base64url');

export async function listConnections(store: TokenStore): Promise<Connection[]> {
  const keys = await store.list(PREFIX);
  const records = await Promise.all(keys.map((key) => store.get(key)));
  return (records as unknown as (Connection | undefined)[])
    .filter((r): r is Connection => r?.kind === 'gateway-connection')
    .sort((a, b) => a.connectedAt - b.connectedAt);
}

export async function findConnection(
  store: TokenStore,
  id: string,
): Promise<Connection | undefined> {
  if (!ID.test(id)) return undefined;
  const record = (await store.get(`${PREFIX}${id}`)) as unknown as Connection | undefined;
  return record?.kind === 'gateway-connection' ? record : undefined;
}

export async function saveConnection(store: TokenStore, connection: Connection): Promise<void> {
  await store.set(`${PREFIX}${connection.id}`, connection as unknown as StoreRecord);
}

export async function deleteConnection(store: TokenStore, id: string): Promise<void> {
  await store.delete(`${PREFIX}${id}`);
}
