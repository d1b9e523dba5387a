import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { McpOAuthError } from '@mcp-oauth/core';
import { findCredentials } from '@napi-rs/keyring';
import { describe, expect, it } from 'vitest';
import { keychainStore } from '../src/index.ts';
import { uniqueNamespace } from './support/child.ts';

const exec = promisify(execFile);

// A service name of this file's own: the platform's search lists every entry of a service and
// then reads each, which fails when another test file deletes one of them in between.
const SERVICE = `mcp-oauth-chunking-${process.pid}`;
const storeOf = (namespace: string) => keychainStore({ service: SERVICE, namespace });

/** Entries of one namespace as the platform sees them (account names only). */
function accountsOf(namespace: string, service = SERVICE): string[] {
  const ns = encodeURIComponent(namespace);
  return findCredentials(service)
    .map((c) => c.account)
    .filter((a) => a.startsWith(`${ns}/`));
}
const chunkAccounts = (namespace: string) => accountsOf(namespace).filter((a) => a.includes('/c/'));

/** ~20 kB of random text: compression cannot bring it under one entry. */
function bigRecord(): { v: number; access_token: string; refresh_token: string } {
  return {
    v: 1,
    access_token: randomBytes(10_000).toString('hex'),
    refresh_token: randomBytes(16).toString('base64url'),
  };
}

describe('large records are chunked', () => {
  it('round-trips a 20 kB record of random data, stored in several chunks', async () => {
    const namespace = uniqueNamespace('big');
    const store = storeOf(namespace);
    const record = bigRecord();
    expect(JSON.stringify(record).length).toBeGreaterThan(20_000);
    await store.set('tokens/big', record);
    expect(await store.get('tokens/big')).toEqual(record);
    // hex halves under brotli: still ~10 kB, so at least 5 chunks of 2,000 bytes.
    expect(chunkAccounts(namespace).length).toBeGreaterThanOrEqual(5);
    // A second store (as another process would) reads the same record.
    expect(await storeOf(namespace).get('tokens/big')).toEqual(record);
  });

  it('frees the old chunks when a record is replaced or deleted', async () => {
    const namespace = uniqueNamespace('replace');
    const store = storeOf(namespace);
    await store.set('k', bigRecord());
    const first = chunkAccounts(namespace);
    const second = bigRecord();
    await store.set('k', second);
    const now = chunkAccounts(namespace);
    expect(now.length).toBe(first.length);
    expect(now.some((a) => first.includes(a))).toBe(false);
    expect(await store.get('k')).toEqual(second);
    await store.set('k', { v: 1, small: true });
    expect(chunkAccounts(namespace)).toEqual([]);
    expect(await store.get('k')).toEqual({ v: 1, small: true });
    await store.set('k', bigRecord());
    expect(await store.delete('k')).toBe(true);
    expect(chunkAccounts(namespace)).toEqual([]);
    expect(await store.get('k')).toBeUndefined();
  });

  it('reports a missing chunk as store_corrupt naming the key, never as an empty record', async () => {
    const namespace = uniqueNamespace('corrupt');
    const store = storeOf(namespace);
    const record = bigRecord();
    await store.set('tokens/https://mcp.example.com/mcp', record);
    const victim = chunkAccounts(namespace)[2];
    expect(victim).toBeDefined();
    // Delete one chunk behind the store's back, with the platform's own tool.
    await exec('secret-tool', ['clear', 'service', SERVICE, 'username', victim as string]);
    expect(chunkAccounts(namespace)).not.toContain(victim);

    let caught: unknown;
    try {
      await storeOf(namespace).get('tokens/https://mcp.example.com/mcp');
    } catch (error) {
      caught = error;
    }
    expect(McpOAuthError.is(caught, 'store_corrupt')).toBe(true);
    const error = caught as McpOAuthError;
    expect(error.message).toContain('tokens/https://mcp.example.com/mcp');
    expect(error.details.key).toBe('tokens/https://mcp.example.com/mcp');
    const everything = `${error.message} ${JSON.stringify(error.details)} ${String(error.cause)}`;
    expect(everything).not.toContain(record.access_token.slice(0, 32));
    expect(everything).not.toContain(record.refresh_token);
    // Still listed, and a new write repairs it.
    expect(await store.list()).toEqual(['tokens/https://mcp.example.com/mcp']);
    await store.set('tokens/https://mcp.example.com/mcp', record);
    expect(await store.get('tokens/https://mcp.example.com/mcp')).toEqual(record);
  });

  it('reports a damaged manifest as store_corrupt', async () => {
    const namespace = uniqueNamespace('manifest');
    const store = storeOf(namespace);
    await store.set('plain', { v: 1, a: 'b' });
    const manifest = accountsOf(namespace).find((a) => a.endsWith('/r/plain'));
    expect(manifest).toBeDefined();
    const child = execFile('secret-tool', [
      'store',
      '--label=damaged',
      'service',
      SERVICE,
      'username',
      manifest as string,
    ]);
    child.stdin?.end('not a manifest');
    await new Promise((resolve) => child.on('close', resolve));
    await expect(store.get('plain')).rejects.toMatchObject({ code: 'store_corrupt' });
  });

  it('keeps long and non-ASCII keys apart (hashed entry names)', async () => {
    const store = storeOf(uniqueNamespace('keys'));
    const keys = ['k'.repeat(1024), `${'k'.repeat(1023)}j`, '#literal', 'ключ\u0000nul', '\t'];
    for (const [i, key] of keys.entries()) await store.set(key, { v: 1, i });
    for (const [i, key] of keys.entries()) expect(await store.get(key)).toEqual({ v: 1, i });
    expect((await store.list()).sort()).toEqual([...keys].sort());
  });
});
