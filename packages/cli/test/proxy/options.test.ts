import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  type AuthServer,
  type LegacySseServer,
  type McpTestServer,
  startAuthorizationServer,
  startLegacySseServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers.ts';
import { connectThroughBridge, textOf } from './bridge-client.ts';
import { storedTokens } from './store-tokens.ts';

let as: AuthServer;
let mcp: McpTestServer;
let legacy: LegacySseServer;
let box: Sandbox;

beforeAll(async () => {
  as = await startAuthorizationServer({});
  mcp = await startMcpServer({ authServer: as });
  legacy = await startLegacySseServer(as);
  box = await createSandbox();
  for (const [url, name] of [
    [mcp.url, 'demo'],
    [legacy.url, 'legacy'],
  ] as const) {
    const login = await box.run(['login', url, '--name', name]);
    if (login.code !== 0) throw new Error(login.stderr);
  }
});

afterAll(async () => {
  await mcp?.close();
  await legacy?.close();
  await as?.close();
  await box?.close();
});

type RpcError = { code?: number; message?: string };

describe('proxy options (mcp-remote parity)', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR}, expanded by the bridge
  it('--header sends the header on every request, ${VAR} from the environment', async () => {
    const host = await connectThroughBridge(
      box,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR}, expanded by the bridge
      ['legacy', '--header', 'X-Tenant: acme-${TENANT_SUFFIX}'],
      { env: { TENANT_SUFFIX: 'eu' } },
    );
    try {
      await host.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
      // the SSE stream (GET) and the messages (POST) alike
      expect(legacy.stats.tenants.length).toBeGreaterThanOrEqual(3);
      expect(new Set(legacy.stats.tenants)).toEqual(new Set(['acme-eu']));
    } finally {
      await host.close();
    }
  });

  it('--header refuses an unset variable and Authorization (usage error, exit 2)', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR}, expanded by the bridge
    const unset = await box.run(['proxy', 'demo', '--header', 'X-Key: ${NOT_SET_ANYWHERE}']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('NOT_SET_ANYWHERE');
    const auth = await box.run(['proxy', 'demo', '--header', 'Authorization: Bearer x']);
    expect(auth.code).toBe(2);
    expect(unset.stdout + auth.stdout).toBe('');
  });

  it('--ignore-tool hides tools from tools/list and refuses calls to them', async () => {
    const host = await connectThroughBridge(box, [
      'demo',
      '--ignore-tool',
      'admin*',
      '--ignore-tool',
      'ECHO',
    ]);
    try {
      const { tools } = await host.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['add', 'whoami']);
      const refused = await host.client.callTool({ name: 'admin_reset', arguments: {} }).then(
        () => undefined,
        (error: unknown) => error as RpcError,
      );
      expect(refused?.code).toBe(-32002);
      expect(refused?.message).toContain('admin_reset');
      expect(textOf(await host.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } }))).toBe(
        '2',
      );
    } finally {
      await host.close();
    }
  });

  it('--silent writes nothing on stderr', async () => {
    const host = await connectThroughBridge(box, ['demo', '--silent']);
    try {
      await host.client.listTools();
    } finally {
      await host.close();
    }
    expect(host.stderr()).toBe('');
  });

  it('--debug logs every message to a file per server, never a token', async () => {
    const host = await connectThroughBridge(box, ['demo', '--debug']);
    try {
      await host.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
    } finally {
      await host.close();
    }
    const file = join(box.dir, 'store', 'logs', 'proxy-demo.log');
    expect(host.stderr()).toContain(file);
    const log = await readFile(file, 'utf8');
    expect(log).toMatch(/→ request initialize #0/);
    expect(log).toMatch(/← response #\d+/);
    expect(log).toMatch(/→ request tools\/call #\d+/);
    const tokens = await storedTokens(box);
    for (const secret of [tokens?.accessToken, tokens?.refreshToken]) {
      expect(typeof secret).toBe('string');
      expect(log).not.toContain(String(secret));
      expect(host.stderr()).not.toContain(String(secret));
    }
    expect(log).not.toMatch(/eyJ[\w-]+\./); // no JWT at all
  });

  it('--print-config prints the host configuration and exits', async () => {
    const result = await box.run([
      'proxy',
      'https://mcp.example.com/mcp',
      '--ignore-tool',
      'delete*',
      '--print-config',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      mcpServers: {
        example: {
          command: 'npx',
          args: [
            '-y',
            '@mcp-oauth/cli',
            'proxy',
            'https://mcp.example.com/mcp',
            // the sandbox's MCP_OAUTH_STORE and MCP_OAUTH_DIR: the host's bridge must reach
            // the same store
            '--store',
            'file',
            '--dir',
            box.env.MCP_OAUTH_DIR,
            '--ignore-tool',
            'delete*',
          ],
        },
      },
    });
    expect(result.stderr).toBe('');
  });

  it('--print-config of a name no login gave: refused (exit 3), naming the close one; nothing printed', async () => {
    const result = await box.run(['proxy', 'dmeo', '--print-config']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/No server is named "dmeo"/);
  });

  it('--print-config keeps the store, namespace and timeouts given, and names what only the environment can give', async () => {
    const result = await box.run(
      [
        'proxy',
        'https://mcp.example.com/mcp',
        '--dir',
        'relative/store',
        '--http-timeout',
        '5',
        '--timeout',
        '60',
        '--print-config',
      ],
      { env: { MCP_OAUTH_NAMESPACE: 'team', MCP_OAUTH_PASSPHRASE: 'not in the config' } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).mcpServers.example.args).toEqual([
      '-y',
      '@mcp-oauth/cli',
      'proxy',
      'https://mcp.example.com/mcp',
      '--store',
      'file',
      '--dir',
      join(process.cwd(), 'relative/store'), // absolute: the host starts it from elsewhere
      '--namespace',
      'team',
      '--http-timeout',
      '5',
      '--timeout',
      '60',
    ]);
    expect(result.stdout).not.toContain('not in the config');
    expect(result.stderr).toContain('MCP_OAUTH_PASSPHRASE');
    expect(result.stderr).toContain('"env"');
  });

  it('--allow-http: plain http to a host that is not loopback only when asked', async (t) => {
    // a name for this machine that is not a loopback literal but reaches 127.0.0.1
    const name = hostname();
    const address = await lookup(name).catch(() => undefined);
    if (address?.address !== '127.0.0.1') t.skip();
    const server = await startLegacySseServer(as, { host: name });
    try {
      const refused = await connectThroughBridge(box, [server.url], { connect: false });
      const failure = await refused.client.connect(refused.transport).then(
        () => undefined,
        (error: unknown) => error as RpcError,
      );
      await refused.close();
      expect(failure?.message).toContain('--allow-http');
      expect(server.stats.streams + server.stats.posts).toBe(0);

      const host = await connectThroughBridge(box, [server.url, '--allow-http']);
      try {
        expect(
          textOf(await host.client.callTool({ name: 'echo', arguments: { text: 'plain' } })),
        ).toBe('plain');
      } finally {
        await host.close();
      }
    } finally {
      await server.close();
    }
  });
});
