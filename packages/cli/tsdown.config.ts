import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { defineConfig, type Rolldown } from 'tsdown';

const QUICK_PATH =
  /[\\/]src[\\/](quick-entry|global-options|run-action|context|settings|output|exit-codes|aliases|format|server-state|stored-tokens|valid-token|stores[\\/](open-store|probe-keychain)|actions[\\/].*)\.ts$/;

/**
 * The modules the CommonJS bin and its quick bundle load only when needed (refresh, errors,
 * HTTP, Redis, the whole program): ESM entries of this build with fixed names, which
 * dist/bin.cjs and dist/quick.cjs `import()` instead of inlining them.
 */
const LAZY_ENTRIES = {
  'run-program': 'src/run-program.ts',
  'lazy/oauth-client': 'src/oauth-client.ts',
  'lazy/login-needed': 'src/login-needed.ts',
  'lazy/report-error': 'src/report-error.ts',
  'lazy/option-flags': 'src/option-flags.ts',
  'lazy/transports': 'src/transports.ts',
  'lazy/open-redis-store': 'src/stores/open-redis-store.ts',
} as const;

/** Workspace code inlined into dist/quick.cjs: Node's start-up of it is a single file. */
const INLINED = /^@mcp-oauth\/(core\/store|store-file|internal)(\/|$)/;

/**
 * esbuild's resolution for dist/bin.cjs and dist/quick.cjs: a lazy module becomes an `import()`
 * of its ESM entry, other packages stay `import()`s where they are loaded lazily; a static
 * import of anything but Node's modules, this package's quick path and INLINED fails the build
 * (it would load at every start).
 */
const commonJsEdges: Plugin = {
  name: 'mcp-oauth-cli-commonjs-edges',
  setup(b) {
    const lazy = new Map(
      Object.entries(LAZY_ENTRIES).map(([name, source]) => [resolve(source), `./${name}.js`]),
    );
    // the proxy command: its own bundle (proxyBundle below), loaded by src/proxy-entry.ts
    lazy.set(resolve('src/proxy/run-proxy-command.ts'), './proxy.mjs');
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (args.path === './quick.cjs') return { path: args.path, external: true };
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (args.path.startsWith('.')) {
        const source = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        const entry = lazy.get(source);
        if (entry === undefined) return undefined;
        if (args.kind !== 'dynamic-import')
          throw new Error(`${relative('.', args.importer)} imports ${args.path} statically`);
        return { path: entry, external: true };
      }
      if (INLINED.test(args.path)) return undefined;
      if (args.kind === 'dynamic-import') return { path: args.path, external: true };
      throw new Error(
        `${relative('.', args.importer)} imports ${args.path} at start-up: load it with import() or inline it (INLINED)`,
      );
    });
    // src/version.ts reads this package's version: only that field is inlined
    b.onLoad({ filter: /[\\/]cli[\\/]package\.json$/ }, async (args) => ({
      contents: JSON.stringify({ version: JSON.parse(await readFile(args.path, 'utf8')).version }),
      loader: 'json',
    }));
  },
};

/**
 * dist/quick.cjs is compiled by src/require-with-code-cache.ts (V8's code cache), where Node's
 * `import()` is not available without an experimental flag: its lazy imports (the ESM entries
 * commonJsEdges made external) call `__lazy`, the bin's own `import()`, instead. Same length, so
 * the source map still holds; every occurrence must be one of the bundle's dynamic imports.
 */
async function routeLazyImports(file: string, metafile: Metafile): Promise<void> {
  const dynamic = (metafile.outputs[file]?.imports ?? []).filter(
    (i) => i.kind === 'dynamic-import',
  );
  const code = await readFile(file, 'utf8');
  const calls = code.split('import("').length - 1;
  if (calls !== dynamic.length)
    throw new Error(`${file}: ${calls} import(" in the code, ${dynamic.length} dynamic imports`);
  writeFileSync(file, code.replaceAll('import("', '__lazy("'));
}

const PROXY_BUNDLE = fileURLToPath(new URL('dist/proxy.mjs', import.meta.url));

/**
 * `mcp-oauth proxy` (src/proxy/run-proxy-command.ts, called by src/proxy-entry.ts), which hosts
 * spawn for every window, as one minified file with what it loads inlined (the SDK's transports and zod, core, the file store, undici):
 * a start then resolves, reads and compiles one file instead of about two hundred. The entry
 * imports it as ./proxy.mjs. Left out, loaded from node_modules when chosen: the keychain store
 * (it finds its native module from its own folder), `--store auto`'s default store (it imports
 * the keychain store) and the Redis store (installed on request).
 */
function proxyBundle(): Rolldown.Plugin {
  // undici's index loads all of undici (mock agents, caches, WebSocket, cookies...): the bundle
  // takes only what @mcp-oauth/transport-fetch imports, from the same files. Named exports, so
  // an import of anything else fails this build instead of being undefined.
  const undiciParts = `
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
// as undici's index does: request, stream, connect... (ProxyAgent tunnels with connect)
Object.assign(Dispatcher.prototype, api);
export { default as Agent } from 'undici/lib/dispatcher/agent.js';
export { default as EnvHttpProxyAgent } from 'undici/lib/dispatcher/env-http-proxy-agent.js';
export { default as buildConnector } from 'undici/lib/core/connect.js';
export { fetch } from 'undici/lib/web/fetch/index.js';
export { Headers } from 'undici/lib/web/fetch/headers.js';
export { Response } from 'undici/lib/web/fetch/response.js';
`;
  const undiciPartsPlugin: Plugin = {
    name: 'undici-parts',
    setup(bundle) {
      bundle.onResolve({ filter: /^undici$/ }, (args) => ({
        path: 'undici',
        namespace: 'undici-parts',
        pluginData: args.resolveDir,
      }));
      bundle.onLoad({ filter: /.*/, namespace: 'undici-parts' }, (args) => ({
        contents: undiciParts,
        resolveDir: args.pluginData as string,
        loader: 'js',
      }));
    },
  };
  return {
    name: 'mcp-oauth:proxy-bundle',
    resolveId(source, importer) {
      if (source === './proxy/run-proxy-command.ts' && importer?.endsWith('proxy-entry.ts'))
        return { id: './proxy.mjs', external: true };
      return null;
    },
    async writeBundle() {
      await build({
        entryPoints: [fileURLToPath(new URL('src/proxy/run-proxy-command.ts', import.meta.url))],
        outfile: PROXY_BUNDLE,
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        sourcemap: true,
        legalComments: 'linked',
        external: [
          '@mcp-oauth/store-default',
          '@mcp-oauth/store-keychain',
          '@mcp-oauth/store-redis',
        ],
        // CommonJS dependencies (undici) require Node's modules
        banner: {
          js: "import{createRequire as __mcpOAuthRequire}from'node:module';const require=__mcpOAuthRequire(import.meta.url);",
        },
        plugins: [undiciPartsPlugin],
        logLevel: 'warning',
      });
    },
  };
}

export default defineConfig({
  // index: the ESM entry ("."); bridge: runBridge for apps that embed the stdio bridge; the rest:
  // what the CommonJS bin loads lazily
  entry: { index: 'src/index.ts', bridge: 'src/bridge/index.ts', ...LAZY_ENTRIES },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  plugins: [proxyBundle()],
  fixedExtension: false,
  // Run by node wherever it is installed.
  banner: { js: '#!/usr/bin/env node' },
  async onSuccess() {
    // The bin (dist/bin.cjs) and the quick commands (dist/quick.cjs), CommonJS: see src/bin.ts
    const bundles = await build({
      entryPoints: { bin: 'src/bin.ts', quick: 'src/quick-entry.ts' },
      outdir: 'dist',
      outExtension: { '.js': '.cjs' },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      // less to read, hash (V8's code cache is checked against the source) and parse per start
      minifyWhitespace: true,
      minifySyntax: true,
      plugins: [commonJsEdges],
      metafile: true,
      logLevel: 'warning',
    });
    await routeLazyImports('dist/quick.cjs', bundles.metafile);
    // `mcp-oauth --help` as commander prints it to a pipe (80 columns), kept beside the bin so
    // that the bin prints it without loading commander and every command
    rmSync('dist/help.txt', { force: true });
    const help = spawnSync(process.execPath, ['dist/bin.cjs', '--help'], { encoding: 'utf8' });
    if (help.status !== 0 || !help.stdout) throw new Error(`--help failed: ${help.stderr}`);
    writeFileSync('dist/help.txt', help.stdout);
  },
  outputOptions: {
    codeSplitting: {
      // The quick commands (token, header, list, show: src/quick-entry.ts) in one chunk, for the
      // ESM entry: every module a command starts with costs a resolution and a compile
      groups: [{ name: 'quick', test: QUICK_PATH }],
    },
  },
});
