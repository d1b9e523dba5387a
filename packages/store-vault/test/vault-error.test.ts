import { startVaultServer } from '@mcp-oauth/test-vault-server';
import { describe, expect, it } from 'vitest';
import { b64, errorText, expectError, openStore, uniqueNs } from './helpers.ts';
import { rootStore, track, useVaultServer, vault } from './vault-fixture.ts';

// src/vault-error.ts: how refusals and network failures are reported
useVaultServer();

describe('permission denied', () => {
  it('names the path and the capability when the policy lacks update, and keeps the record', async () => {
    const ns = uniqueNs('deny');
    await rootStore(ns).set('k', { v: 1, who: 'root' });
    const token = vault.createToken('read-only');
    const reader = track(openStore(vault.url, { auth: { token }, namespace: ns }));
    expect(await reader.get('k')).toEqual({ v: 1, who: 'root' });
    expect(await reader.list()).toEqual(['k']);
    const error = await expectError(
      reader.set('k', { v: 1, who: 'reader' }),
      'store_permission_denied',
    );
    expect(error.message).toContain(`secret/data/mcp-oauth/${ns}/${b64('k')}`);
    expect(error.message).toContain('"update"');
    expect(error.details.capability).toBe('update');
    const created = await expectError(reader.set('new', { v: 1 }), 'store_permission_denied');
    expect(created.details.capability).toBe('create');
    expect(errorText(error)).not.toContain(token);
    expect(await reader.get('k')).toEqual({ v: 1, who: 'root' });
  });
});

describe('network failure', () => {
  it('reports store_unavailable after retrying', async () => {
    const down = await startVaultServer();
    const { url, rootToken } = down;
    await down.close();
    const store = track(openStore(url, { auth: { token: rootToken }, namespace: 'n' }));
    const error = await expectError(store.get('k'), 'store_unavailable');
    expect(error.details.reason).toBe('network');
    // what to do, naming the option that gives the address
    expect(error.details.option).toBe('address');
    expect(error.message).toContain(`Could not reach Vault at ${url}`);
    expect(error.message).toContain('the `address` option (default: VAULT_ADDR)');
    expect(error.message).not.toContain('tokens were kept');
    expect(errorText(error)).not.toContain(rootToken);
  });
});
