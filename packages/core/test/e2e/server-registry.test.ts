import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpOAuthError } from '../../src/errors/error.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { createServerRegistry } from '../../src/servers/server-registry.ts';
import { memoryStore } from '../../src/store/memory.ts';

const interaction = () => headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' });

describe('createServerRegistry (many servers in one object)', () => {
  let one: Stack;
  let two: Stack;
  beforeAll(async () => {
    [one, two] = await Promise.all([startStack(), startStack()]);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  it('names servers in the store, hands out one client per name, and lists their token states', async () => {
    const store = memoryStore();
    const servers = createServerRegistry({ store, interaction: interaction() });
    await servers.add('one', one.mcp.url);
    await servers.add('two', two.mcp.url);

    const clientOne = await servers.client('one');
    expect(await servers.client('one')).toBe(clientOne);
    await clientOne.authorize();

    const listed = await servers.list();
    expect(listed.map((s) => [s.name, s.state])).toEqual([
      ['one', 'valid'],
      ['two', 'login-needed'],
    ]);
    expect(listed[0]?.tokens?.issuer).toBe(one.as.issuer);
    expect(JSON.stringify(listed)).not.toContain(await clientOne.getAccessToken());

    // Another registry over the same store sees the same names and tokens (as the CLI would).
    const again = createServerRegistry({ store, interaction: interaction() });
    expect((await again.list()).map((s) => s.state)).toEqual(['valid', 'login-needed']);
  });

  it('remove with logout revokes and deletes the tokens; without, only the name goes', async () => {
    const store = memoryStore();
    const servers = createServerRegistry({ store, interaction: interaction() });
    await servers.add('one', one.mcp.url);
    await servers.add('keep', one.mcp.url);
    await (await servers.client('one')).authorize();
    const revocations = one.as.stats.revocations;

    await servers.remove('keep');
    expect((await servers.list()).map((s) => s.name)).toEqual(['one']);
    expect(await store.list('tokens:')).toHaveLength(1);

    await servers.remove('one', { logout: true });
    expect(await servers.list()).toEqual([]);
    expect(await store.list('tokens:')).toEqual([]);
    expect(one.as.stats.revocations).toBeGreaterThan(revocations);
  });

  it('refuses an unknown name and an invalid one with typed errors that say what to do', async () => {
    const servers = createServerRegistry({ store: memoryStore(), interaction: interaction() });
    const unknown = await servers.client('nope').catch((e: unknown) => e);
    expect(McpOAuthError.is(unknown, 'invalid_configuration')).toBe(true);
    expect((unknown as Error).message).toContain('servers.add("nope"');
    const invalid = await servers.add('no spaces', one.mcp.url).catch((e: unknown) => e);
    expect(McpOAuthError.is(invalid, 'invalid_configuration')).toBe(true);
  });
});
