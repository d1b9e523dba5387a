import { join } from 'node:path';
import { type Stack, type StaticServer, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, startOversizedMetadataServer } from './helpers.ts';
import { startSelfSignedServer, type TlsServer } from './tls-server.ts';

/**
 * Every exit code the README lists, reached through the built CLI against real servers (130,
 * an interrupt, aside), and the flags that error messages name instead of library options.
 */
let stack: Stack;
let stat: StaticServer;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  stat = await startOversizedMetadataServer();
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await stat?.close();
  await box?.close();
});

describe('exit codes', () => {
  it('0: a login that worked', async () => {
    const result = await box.run(['login', stack.mcp.url, '--name', 'demo']);
    expect(result.code, result.stderr).toBe(0);
  });

  it('2: a usage error', async () => {
    const result = await box.run([
      'login',
      stack.mcp.url,
      '--name',
      'demo',
      '--max-response-bytes',
      'lots',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-response-bytes must be a whole number');
  });

  it('2: --client-metadata-url that is not an https URL with a path', async () => {
    for (const value of ['notaurl', 'http://app.example/client.json', 'https://app.example/']) {
      const result = await box.run([
        'login',
        stack.mcp.url,
        '--name',
        'demo',
        '--client-metadata-url',
        value,
      ]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        `--client-metadata-url must be an https URL with a path, where this client's metadata document is served (got "${value}").`,
      );
    }
  });

  it('2: --port out of range, named by the flag (loopback never sees the value)', async () => {
    for (const [flag, value, limit] of [
      ['--port', '70000', '65535'],
      ['--port', '8080.5', '65535'],
    ] as const) {
      const result = await box.run(['login', stack.mcp.url, '--name', 'demo', flag, value]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        `${flag} must be a whole number between 1 and ${limit} (got "${value}").`,
      );
      expect(result.stderr).not.toMatch(/`(port|timeoutMs)`/);
    }
  });

  it('2: --timeout beyond a day (a longer timer would fire at once): the rule of proxy --timeout', async () => {
    for (const command of ['login', 'proxy']) {
      for (const timeout of ['3000000', '0', '1.5']) {
        const result = await box.run([command, stack.mcp.url, '--timeout', timeout]);
        expect(result.code, `${command} --timeout ${timeout}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(
          `--timeout must be a whole number of seconds from 1 to 86400 (got "${timeout}").`,
        );
      }
    }
  });

  it('2: --http-timeout 0, the range told as the rule has it', async () => {
    const result = await box.run(['--http-timeout', '0', 'list']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(
      '--http-timeout must be a number of seconds above 0 and at most 86400 (got "0").',
    );
    expect((await box.run(['--http-timeout', '0.5', 'list'])).code).toBe(0);
  });

  it('3: login needed (an unknown name)', async () => {
    expect((await box.run(['token', 'nobody'])).code).toBe(3);
  });

  it('4: a response larger than the limit, the message naming --max-response-bytes', async () => {
    const result = await box.run(['login', `${stat.url}/big`, '--no-browser']);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('[response_too_large]');
    expect(result.stderr).toContain(
      `mcp-oauth login ${stat.url}/big --name localhost-${stat.port} ${box.storeFlags} --max-response-bytes <n>`,
    );
    expect(result.stderr).not.toMatch(/maxResponseBytes/);
    // the flag raises the limit: the document is read (and found to be no JSON)
    const raised = await box.run([
      'login',
      `${stat.url}/big`,
      '--no-browser',
      '--max-response-bytes',
      String(4 * 1024 * 1024),
    ]);
    expect(raised.stderr).not.toContain('response_too_large');
    expect(raised.stderr).toContain('[resource_metadata_invalid]');
  });

  it('4: plain http off loopback, the message naming --allow-http', async () => {
    const url = 'http://192.0.2.1:9/mcp'; // TEST-NET-1: not loopback, and nobody answers
    const refused = await box.run(['login', url, '--no-browser']);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain('[insecure_url]');
    expect(refused.stderr).toContain(
      `mcp-oauth login ${url} --name 192.0.2.1-9 ${box.storeFlags} --allow-http`,
    );
    expect(refused.stderr).not.toMatch(/allowInsecureHttp/);
    // with the flag, the request is made (and, with --http-timeout 1, times out: 6)
    const allowed = await box.run([
      '--http-timeout',
      '1',
      'login',
      url,
      '--no-browser',
      '--allow-http',
    ]);
    expect(allowed.stderr).not.toContain('insecure_url');
    expect(allowed.code, allowed.stderr).toBe(6);
  });

  it('5: a store error (the wrong passphrase)', async () => {
    const env = { MCP_OAUTH_DIR: join(box.dir, 'store-5'), MCP_OAUTH_PASSPHRASE: 'right' };
    expect((await box.run(['login', stack.mcp.url, '--name', 'five'], { env })).code).toBe(0);
    const wrong = await box.run(['list'], { env: { ...env, MCP_OAUTH_PASSPHRASE: 'wrong' } });
    expect(wrong.code, wrong.stderr).toBe(5);
    // in the CLI's words: the variable that sets the passphrase, not the library's option
    expect(wrong.stderr).toContain('wrong passphrase.');
    expect(wrong.stderr).toContain(
      'Set MCP_OAUTH_PASSPHRASE to the passphrase the store was created with, or unset it',
    );
    expect(wrong.stderr).not.toMatch(/keySource/);
  });

  it('5: a passphrase for a store created with its key file, the message naming MCP_OAUTH_PASSPHRASE', async () => {
    const env = { MCP_OAUTH_DIR: join(box.dir, 'store-5k') };
    expect((await box.run(['login', stack.mcp.url, '--name', 'five'], { env })).code).toBe(0);
    const set = await box.run(['list', '--json'], {
      env: { ...env, MCP_OAUTH_PASSPHRASE: 'any' },
    });
    expect(set.code, set.stderr).toBe(5);
    const { error } = JSON.parse(set.stderr.trim().split('\n').pop() ?? '');
    expect(error.code).toBe('store_wrong_key');
    expect(error.message).toContain('not a passphrase.');
    expect(error.message).toContain('unset it for a store created with its key file');
    expect(error.message).not.toMatch(/keySource/);
    expect((await box.run(['list'], { env })).code).toBe(0);
  });

  it('6: no browser callback within --timeout', async () => {
    const result = await box.run([
      'login',
      stack.mcp.url,
      '--name',
      'demo',
      '--no-browser',
      '--timeout',
      '1',
    ]);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toContain('[interaction_timeout]');
    // how to allow more time, in the CLI's words (not loopback's `timeoutMs` option)
    expect(result.stderr).toContain('To allow more time, log in with --timeout <seconds>:');
    expect(result.stderr).not.toContain('timeoutMs');
  });

  it('1: the server refused (the person denied consent)', async () => {
    const denying = await startStack({ as: { denyConsent: true } });
    try {
      const result = await box.run(['login', denying.mcp.url, '--name', 'denied']);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain('access_denied');
    } finally {
      await denying.close();
    }
  });
});

describe('--ca', () => {
  let server: TlsServer;
  let cert: string;

  beforeAll(async () => {
    server = await startSelfSignedServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
    cert = server.certFile;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('an untrusted certificate names --ca; with it, the server is reached', async () => {
    const url = `${server.url}/mcp`;
    const untrusted = await box.run(['login', url, '--name', 'tls', '--no-browser']);
    expect(untrusted.code, untrusted.stderr).toBe(6);
    expect(untrusted.stderr).toContain(
      `mcp-oauth login ${url} --name tls ${box.storeFlags} --ca <file>`,
    );
    expect(untrusted.stderr).not.toMatch(/`ca`/);
    const trusted = await box.run(['login', url, '--name', 'tls', '--no-browser', '--ca', cert]);
    // past TLS: discovery reads the server (404 everywhere: no MCP server at that URL)
    expect(trusted.stderr).not.toContain('network_error');
    expect(trusted.stderr).toContain(
      `${url} answered HTTP 404, and no OAuth metadata was found for it`,
    );
    expect(trusted.code, trusted.stderr).toBe(4);
  });

  it('refuses a file that holds no certificate', async () => {
    const result = await box.run(['login', stack.mcp.url, '--name', 'demo', '--ca', box.browser]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no PEM certificate');
  });
});
