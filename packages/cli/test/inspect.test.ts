import {
  type AuthServer,
  type McpTestServer,
  type StaticServer,
  startAuthorizationServer,
  startMcpServer,
  startStaticServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

let as: AuthServer;
let healthy: McpTestServer;
/** A static server in front of the real AS, serving doctored RFC 8414 metadata. */
let fakeAs: StaticServer;
/** An MCP server whose resource metadata names `fakeAs` as its authorization server. */
let behindFake: McpTestServer;
let htmlMetadata: McpTestServer;
let wrongResource: McpTestServer;
let real: Record<string, unknown>;
let box: Sandbox;

beforeAll(async () => {
  as = await startAuthorizationServer();
  healthy = await startMcpServer({ authServer: as });
  real = (await (
    await fetch(`${as.issuer}/.well-known/oauth-authorization-server`)
  ).json()) as Record<string, unknown>;
  fakeAs = await startStaticServer({ proxyTo: as.url, routes: {} });
  behindFake = await startMcpServer({
    authServer: { issuer: fakeAs.url, jwksUri: as.jwksUri, publicJwks: as.publicJwks },
  });
  htmlMetadata = await startMcpServer({
    authServer: as,
    metadataBody: { body: '<!doctype html><html><body>Welcome</body></html>' },
  });
  wrongResource = await startMcpServer({
    authServer: as,
    resourceOverride: 'https://elsewhere.example/mcp',
  });
  box = await createSandbox();
});

afterAll(async () => {
  for (const server of [healthy, behindFake, htmlMetadata, wrongResource, fakeAs])
    await server?.close();
  await as?.close();
  await box?.close();
});

function serveMetadata(doc: Record<string, unknown>): void {
  fakeAs.setRoute('/.well-known/oauth-authorization-server', { body: doc });
}

describe('inspect', () => {
  it('a healthy server: every section, which URLs answered, verdict ok, exit 0', async () => {
    const text = await box.run(['inspect', healthy.url]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`✓ ${healthy.resourceMetadataUrl}  200 JSON (used)`);
    expect(text.stdout).toContain(
      `✓ ${as.issuer}/.well-known/oauth-authorization-server  200 JSON (used)`,
    );
    expect(text.stdout).toMatch(/PKCE S256:\s+yes/);
    expect(text.stdout).toMatch(/device flow:\s+yes/);
    expect(text.stdout).toMatch(/Verdict: ok$/m);

    const json = await box.run(['inspect', healthy.url, '--json']);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      verdict: 'ok',
      challenge: { status: 401, scheme: 'bearer', resourceMetadata: healthy.resourceMetadataUrl },
      resourceMetadata: {
        url: healthy.resourceMetadataUrl,
        resource: healthy.url,
        authorizationServers: [as.issuer],
      },
      authorizationServer: { issuer: as.issuer, declaredIssuer: as.issuer },
      capabilities: {
        pkceS256: 'yes',
        issParameter: true,
        deviceFlow: true,
        revocation: true,
        registration: { dynamic: true, preRegisteredNeeded: false },
      },
    });
    expect(report.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
  });

  it('issuer mismatch: broken, exit 4', async () => {
    serveMetadata({ ...real, issuer: 'https://other.example' });
    const result = await box.run(['inspect', behindFake.url, '--json']);
    expect(result.code).toBe(4);
    const report = JSON.parse(result.stdout);
    expect(report.verdict).toBe('broken');
    expect(report.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'issuer_mismatch' }),
    );
    const text = await box.run(['inspect', behindFake.url]);
    expect(text.code).toBe(4);
    expect(text.stdout).toMatch(/Verdict: broken/);
  });

  it('an issuer differing by a trailing slash: ok with quirks, naming --allow-issuer-trailing-slash', async () => {
    serveMetadata({ ...real, issuer: `${fakeAs.url}/` });
    const result = await box.run(['inspect', behindFake.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Verdict: ok with quirks: mcp-oauth login ${behindFake.url} --allow-issuer-trailing-slash`,
    );
  });

  it('no PKCE metadata: ok with quirks (--assume-pkce), exit 4 with --strict; PKCE without S256: broken', async () => {
    const { code_challenge_methods_supported: _, ...noPkce } = real;
    serveMetadata({ ...noPkce, issuer: fakeAs.url });
    const result = await box.run(['inspect', behindFake.url, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      verdict: 'ok-with-quirks',
      quirkFlags: ['--assume-pkce'],
      capabilities: { pkceS256: 'not-advertised' },
    });
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: 'pkce_unsupported',
        quirk: { name: 'assumePkceS256', flag: '--assume-pkce' },
      }),
    );
    expect((await box.run(['inspect', behindFake.url, '--strict'])).code).toBe(4);

    serveMetadata({ ...real, issuer: fakeAs.url, code_challenge_methods_supported: ['plain'] });
    const plain = await box.run(['inspect', behindFake.url, '--json']);
    expect(plain.code).toBe(4);
    expect(JSON.parse(plain.stdout)).toMatchObject({
      verdict: 'broken',
      capabilities: { pkceS256: 'no' },
    });
  });

  it('HTML instead of JSON for the resource metadata: broken, exit 4, the URL named', async () => {
    const result = await box.run(['inspect', htmlMetadata.url]);
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/resource_metadata_invalid.*an HTML page \(text\/html/);
    expect(result.stdout).toContain(`✗ ${htmlMetadata.resourceMetadataUrl}`);
    expect(result.stdout).toMatch(/Verdict: broken/);
  });

  it('HTML instead of JSON for the authorization server metadata: broken', async () => {
    fakeAs.setRoute('/.well-known/oauth-authorization-server', {
      headers: { 'content-type': 'text/html' },
      body: '<html>login</html>',
    });
    const report = JSON.parse((await box.run(['inspect', behindFake.url, '--json'])).stdout);
    expect(report.verdict).toBe('broken');
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'authorization_server_metadata_invalid', severity: 'error' }),
    );
  });

  it('a resource mismatch: broken', async () => {
    const report = JSON.parse((await box.run(['inspect', wrongResource.url, '--json'])).stdout);
    expect(report.verdict).toBe('broken');
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'resource_mismatch' }));
  });

  it('a server that asks for no authorization: verdict no authorization, not ok, exit 0', async () => {
    const open = await startStaticServer({
      routes: {
        'POST /mcp': { body: { jsonrpc: '2.0', id: 1, result: {} } },
        'POST /down': { status: 503, body: 'unavailable' },
      },
    });
    try {
      const result = await box.run(['inspect', `${open.url}/mcp`]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(
        /Verdict: no authorization: nothing to log in to here; if this should be an MCP server that asks for a login, check the URL/,
      );
      expect(result.stdout).not.toMatch(/Verdict: ok/);
      const report = JSON.parse((await box.run(['inspect', `${open.url}/mcp`, '--json'])).stdout);
      expect(report.verdict).toBe('unprotected');
      expect(report.problems).toContainEqual(expect.objectContaining({ code: 'no_authorization' }));
      // a wrong path (404) or a server that is down (503) is not "nothing to log in to"
      for (const path of ['/nothing-here', '/down']) {
        const wrong = await box.run(['inspect', `${open.url}${path}`, '--json']);
        expect(wrong.code, path).toBe(4);
        expect(JSON.parse(wrong.stdout).verdict).toBe('broken');
      }
      // the 404 says that there is no MCP server at that URL
      const typo = await box.run(['inspect', `${open.url}/nothing-here`]);
      expect(typo.stdout).toContain('no MCP server takes requests at this URL');
    } finally {
      await open.close();
    }
  });

  it('a server that names no scope: a warning that a login asks for none, with the --scope way; still ok', async () => {
    const noScopes = await startMcpServer({ authServer: as, scopesSupported: null });
    try {
      const result = await box.run(['inspect', noScopes.url, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.verdict).toBe('ok');
      expect(report.problems).toContainEqual(
        expect.objectContaining({ severity: 'warning', code: 'no_scope_named' }),
      );
      const text = await box.run(['inspect', noScopes.url]);
      expect(text.stdout).toContain(`mcp-oauth login ${noScopes.url} --scope <scope>...`);
      // the healthy server lists its scopes: no such warning
      const healthyReport = JSON.parse((await box.run(['inspect', healthy.url, '--json'])).stdout);
      expect(healthyReport.problems).not.toContainEqual(
        expect.objectContaining({ code: 'no_scope_named' }),
      );
    } finally {
      await noScopes.close();
    }
  });

  it('an unreachable server: exit 6', async () => {
    const result = await box.run(['inspect', 'http://127.0.0.1:9/mcp']);
    expect(result.code).toBe(6);
  });
});
