// The applications whose single-file browser bundles are measured, and how: shared by the
// command `node bench/bundle.mjs` (which prints the table) and the CI check
// packages/core/test/bundle.test.ts (which holds each application to its budget).
// Each case is a small realistic entry, bundled into ONE file by esbuild (platform browser,
// minified, no code splitting, so lazily imported code counts too), then gzipped at level 9.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const redirect = `const interaction = { kind: 'redirect', redirectUri: async () => 'https://app.example/cb', authorize: async () => 'https://app.example/cb?code=x' };`;
const client = (
  extra = '',
  options = 'interaction',
) => `import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
${extra}
export const oauth = createOAuthClient({ serverUrl: 'https://mcp.example/mcp', store: memoryStore(), ${options} });`;

/**
 * mcp-oauth's applications: `id` names the case (and its budget in the CI check), `subpath`
 * the entry it adds to the authorization-code application, if any.
 */
export const cases = [
  {
    id: 'authorization-code',
    name: 'authorization code only (createOAuthClient + memoryStore)',
    // the aim of issue 14, beside the ratchet the CI check holds it to
    aim: 15_000,
    source: client(redirect),
  },
  {
    id: 'dpop',
    subpath: '@mcp-oauth/core/dpop',
    name: '+ DPoP (@mcp-oauth/core/dpop)',
    source: client(
      `import { dpop } from '@mcp-oauth/core/dpop';\n${redirect}`,
      'interaction, dpop: dpop()',
    ),
  },
  {
    id: 'device',
    subpath: '@mcp-oauth/core/device',
    name: '+ device flow (@mcp-oauth/core/device)',
    source: client(
      `import { deviceInteraction } from '@mcp-oauth/core/device';`,
      'interaction: deviceInteraction({ prompt: () => {} })',
    ),
  },
  {
    id: 'client-credentials',
    subpath: '@mcp-oauth/core/client-credentials',
    name: '+ client credentials (@mcp-oauth/core/client-credentials)',
    source: client(
      `import { clientCredentials } from '@mcp-oauth/core/client-credentials';`,
      `client: { clientId: 'c', clientSecret: 's' }, interaction: clientCredentials()`,
    ),
  },
  {
    id: 'private-key-jwt',
    subpath: '@mcp-oauth/core/private-key-jwt',
    name: '+ client credentials with private_key_jwt (@mcp-oauth/core/private-key-jwt)',
    source: client(
      `import { clientCredentials } from '@mcp-oauth/core/client-credentials';
import { privateKeyJwt } from '@mcp-oauth/core/private-key-jwt';`,
      `client: { clientId: 'c', privateKey: privateKeyJwt('-----BEGIN PRIVATE KEY-----') }, interaction: clientCredentials()`,
    ),
  },
  {
    id: 'enterprise',
    subpath: '@mcp-oauth/core/enterprise',
    name: '+ enterprise-managed authorization (@mcp-oauth/core/enterprise)',
    source: client(
      `import { enterpriseManaged } from '@mcp-oauth/core/enterprise';`,
      `client: { clientId: 'c', clientSecret: 's' }, interaction: enterpriseManaged({ idp: { issuer: 'https://idp.example', clientId: 'app' }, getIdToken: () => 'id-token' })`,
    ),
  },
  {
    id: 'workload',
    subpath: '@mcp-oauth/core/workload',
    name: '+ workload identity (@mcp-oauth/core/workload)',
    source: client(
      `import { workloadIdentity } from '@mcp-oauth/core/workload';`,
      `client: { clientId: 'c' }, interaction: workloadIdentity({ token: () => 'jwt' })`,
    ),
  },
  {
    id: 'management',
    subpath: '@mcp-oauth/core/management',
    name: '+ introspection, RFC 7592 (@mcp-oauth/core/management)',
    source: `${client(`import { introspect, readRegistration } from '@mcp-oauth/core/management';\n${redirect}`)}
export const check = () => Promise.all([introspect(oauth), readRegistration(oauth)]);`,
  },
  {
    id: 'servers',
    subpath: '@mcp-oauth/core/servers',
    name: 'named servers (@mcp-oauth/core/servers + memoryStore)',
    source: `import { memoryStore } from '@mcp-oauth/core';
import { createServerRegistry } from '@mcp-oauth/core/servers';
${redirect}
export const servers = createServerRegistry({ store: memoryStore(), interaction });`,
  },
  {
    id: 'flow',
    subpath: '@mcp-oauth/core/flow',
    name: 'the state machine driven by hand (@mcp-oauth/core/flow)',
    source: `import { memoryStore } from '@mcp-oauth/core';
import { createFlowContext, runFlow } from '@mcp-oauth/core/flow';
${redirect}
export const run = (state) => runFlow(createFlowContext({ store: memoryStore(), interaction }), state);`,
  },
  {
    id: 'everything',
    name: 'everything core exports',
    source: [
      '',
      '/dpop',
      '/private-key-jwt',
      '/device',
      '/client-credentials',
      '/enterprise',
      '/workload',
      '/management',
      '/servers',
      '/flow',
      '/store',
    ]
      .map((s) => `export * from '@mcp-oauth/core${s}';`)
      .join('\n'),
  },
];

/**
 * The official SDK's client auth, and its Streamable HTTP client transport (which an MCP
 * application bundles beside the OAuth client), measured the same way for comparison (bench only).
 */
export const comparisons = [
  {
    id: 'sdk-v1',
    name: 'official SDK v1 client auth (@modelcontextprotocol/sdk/client/auth.js)',
    specifier: '@modelcontextprotocol/sdk/client/auth.js',
    source: `export * from '@modelcontextprotocol/sdk/client/auth.js';`,
  },
  {
    id: 'sdk-v2',
    name: 'official SDK v2 client auth (@modelcontextprotocol/client)',
    specifier: '@modelcontextprotocol/client',
    source: `export { auth, withOAuth } from '@modelcontextprotocol/client';`,
  },
  {
    // issue 14's aim counts the application's SDK transport in its 15 kB: the transport alone
    id: 'sdk-v1-transport',
    name: 'official SDK v1 Streamable HTTP transport alone (@modelcontextprotocol/sdk/client/streamableHttp.js)',
    specifier: '@modelcontextprotocol/sdk/client/streamableHttp.js',
    source: `export { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';`,
  },
  {
    id: 'sdk-v2-transport',
    name: 'official SDK v2 Streamable HTTP transport alone (@modelcontextprotocol/client)',
    specifier: '@modelcontextprotocol/client',
    source: `export { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';`,
  },
];

/**
 * The single-file bundle of `source` (its imports resolved from bench/, where the workspace's
 * built packages are linked): minified and gzipped sizes in bytes, the bundled text, and
 * esbuild's bytes per input file (paths shortened to `package/path`).
 */
export async function measure(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: 'js' },
    bundle: true,
    splitting: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser', 'import', 'default'],
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const [output] = result.outputFiles;
  const code = output?.contents ?? new Uint8Array();
  const byInput = {};
  for (const out of Object.values(result.metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs))
      if (bytesInOutput > 0)
        byInput[input.replace(/^.*\/(packages|node_modules)\//, '')] = bytesInOutput;
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    text: output?.text ?? '',
    byInput,
  };
}
