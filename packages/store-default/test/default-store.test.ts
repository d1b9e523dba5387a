import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStore } from '../src/index.ts';

// Runs inside scripts/with-keyring.sh: a private session bus with an unlocked GNOME Keyring.
const record = { kind: 'tokens', accessToken: 'at-secret-value' } as const;
let directory: string;
const uniqueNamespace = (label: string) => `default-${label}-${process.pid}-${Date.now()}`;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

beforeAll(() => {
  if (process.env.MCP_OAUTH_PRIVATE_KEYRING !== '1') {
    throw new Error('Run these tests with `pnpm test` (a private keyring), never your own.');
  }
  directory = mkdtempSync(join(tmpdir(), 'store-default-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('defaultStore()', () => {
  it('chooses the OS keychain when it answers, and keeps the records there, not in files', async () => {
    const namespace = uniqueNamespace('keychain');
    const store = await defaultStore({ namespace, file: { directory } });
    expect(store.choice).toEqual({ kind: 'keychain', reason: 'keychain-usable' });
    await store.set('tokens/a', record);

    const again = await defaultStore({ namespace, file: { directory } });
    expect(await again.get('tokens/a')).toEqual(record);
    expect(filesUnder(directory)).toEqual([]);
    await again.delete('tokens/a');
  });

  it('chooses the encrypted file store when there is no session bus, and says why', async () => {
    const namespace = uniqueNamespace('nobus');
    const store = await defaultStore({ namespace, file: { directory }, env: {} });
    expect(store.choice).toMatchObject({ kind: 'file', reason: 'no-session-bus' });
    await store.set('tokens/b', record);
    expect(await store.get('tokens/b')).toEqual(record);

    const files = filesUnder(directory);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(statSync(file).mode & 0o777).toBe(0o600);
    // Encrypted at rest: no file holds the token in clear.
    for (const file of files) {
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(file, 'utf8')).not.toContain(record.accessToken);
    }
  });

  it('falls back to the file store when a bus exists but no Secret Service answers on it', async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    // The probe's child process inherits this address: a bus socket that does not exist.
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(directory, 'no-such-bus')}`;
    try {
      const store = await defaultStore({
        namespace: uniqueNamespace('nosecret'),
        file: { directory },
        keychain: { probeTimeoutMs: 5_000 },
      });
      expect(store.choice.kind).toBe('file');
      if (store.choice.kind !== 'file') return;
      expect(store.choice.message.length).toBeGreaterThan(0);
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });

  it('supports prune() and await using, whichever store it chose', async () => {
    for (const env of [undefined, {}]) {
      const namespace = uniqueNamespace(env ? 'dispose-file' : 'dispose-keychain');
      const expired = 'tokens:https://as.example https://mcp.example/mcp';
      {
        await using store = await defaultStore({
          namespace,
          file: { directory },
          ...(env ? { env } : {}),
        });
        expect(store.choice.kind).toBe(env ? 'file' : 'keychain');
        await store.set(expired, {
          v: 1,
          kind: 'tokens',
          issuer: 'https://as.example',
          resource: 'https://mcp.example/mcp',
          clientId: 'c',
          accessToken: 'at',
          tokenType: 'Bearer',
          obtainedAt: 1,
          expiresAt: 2,
        });
        expect((await store.prune()).tokens).toEqual([expired]);
        await store.set('kept', record);
      }
      await using again = await defaultStore({
        namespace,
        file: { directory },
        ...(env ? { env } : {}),
      });
      expect(await again.list()).toEqual(['kept']);
      await again.delete('kept');
    }
  });
});
