// Bundle sizes (a command, not a test): `npm run bench bundle`, or after a build
//   node bench/bundle.mjs
// What an application pays for the OAuth client when it bundles for the browser: each case is a
// small realistic entry, bundled into ONE file by esbuild (platform browser, minified, no code
// splitting, so lazily imported code counts too), then gzipped at level 9. The official SDK's
// client auth (v1 `@modelcontextprotocol/sdk/client/auth.js`, v2 `@modelcontextprotocol/client`)
// is measured the same way, beside ours.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const resolvable = (specifier) => {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
};

const redirect = `const interaction = { kind: 'redirect', redirectUri: async () => 'https://app.example/cb', authorize: async () => 'https://app.example/cb?code=x' };`;
export const cases = [
  {
    name: 'authorization code only (createOAuthClient + memoryStore)',
    budget: 15_000,
    source: `import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
${redirect}
export const oauth = createOAuthClient({ serverUrl: 'https://mcp.example/mcp', store: memoryStore(), interaction });`,
  },
  {
    name: '+ DPoP (@mcp-oauth/core/dpop)',
    source: `import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
import { dpop } from '@mcp-oauth/core/dpop';
${redirect}
export const oauth = createOAuthClient({ serverUrl: 'https://mcp.example/mcp', store: memoryStore(), interaction, dpop: dpop() });`,
  },
  {
    name: '+ device flow (@mcp-oauth/core/device)',
    source: `import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
import { deviceInteraction } from '@mcp-oauth/core/device';
export const oauth = createOAuthClient({ serverUrl: 'https://mcp.example/mcp', store: memoryStore(), interaction: deviceInteraction({ prompt: () => {} }) });`,
  },
  {
    name: '+ client credentials (@mcp-oauth/core/client-credentials)',
    source: `import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
import { clientCredentials } from '@mcp-oauth/core/client-credentials';
export const oauth = createOAuthClient({ serverUrl: 'https://mcp.example/mcp', store: memoryStore(), client: { clientId: 'c', clientSecret: 's' }, interaction: clientCredentials() });`,
  },
  {
    name: 'everything core exports',
    source: `export * from '@mcp-oauth/core';
export * from '@mcp-oauth/core/dpop';
export * from '@mcp-oauth/core/device';
export * from '@mcp-oauth/core/client-credentials';
export * from '@mcp-oauth/core/management';
export * from '@mcp-oauth/core/flow';`,
  },
  {
    name: 'official SDK v1 client auth (@modelcontextprotocol/sdk/client/auth.js)',
    specifier: '@modelcontextprotocol/sdk/client/auth.js',
    source: `export * from '@modelcontextprotocol/sdk/client/auth.js';`,
  },
  {
    name: 'official SDK v2 client auth (@modelcontextprotocol/client)',
    specifier: '@modelcontextprotocol/client',
    source: `export { auth, withOAuth } from '@modelcontextprotocol/client';`,
  },
];

/** The single-file bundle of `source`: minified and gzipped sizes in bytes. */
export async function measure(source) {
  const dir = mkdtempSync(join(import.meta.dirname, '.bundle-'));
  try {
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, source);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      splitting: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['browser', 'import', 'default'],
      minify: true,
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
    });
    const code = result.outputFiles
      .map((f) => f.contents)
      .reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0));
    return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void tmpdir;
  console.log('single-file bundles (esbuild, browser, minified), gzip level 9\n');
  console.log('| application | minified | gzipped | budget |');
  console.log('|---|---|---|---|');
  for (const c of cases) {
    if (c.specifier && !resolvable(c.specifier)) {
      console.log(`| ${c.name} | not installed | | |`);
      continue;
    }
    const { minified, gzip } = await measure(c.source);
    const budget = c.budget
      ? `${(c.budget / 1000).toFixed(1)} kB ${gzip <= c.budget ? 'met' : 'missed'}`
      : '';
    console.log(
      `| ${c.name} | ${(minified / 1000).toFixed(1)} kB | ${(gzip / 1000).toFixed(1)} kB | ${budget} |`,
    );
  }
}
