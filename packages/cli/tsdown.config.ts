import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { defineConfig } from 'tsdown';

const QUICK_PATH =
  /[\\/]src[\\/](quick-entry|global-options|run-action|context|settings|output|exit-codes|aliases|format|server-state|stored-tokens|valid-token|stores[\\/](open-store|probe-keychain|file-directory)|actions[\\/].*)\.ts$/;

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
 * dist/quick.cjs and dist/proxy.cjs are compiled by src/require-with-code-cache.ts (V8's code
 * cache), where Node's `import()` is not available without an experimental flag: their lazy
 * imports (the ESM entries commonJsEdges made external, the stores proxy.cjs leaves out) call
 * `__lazy`, the bin's own `import()`, instead. Same length, so
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

const PROXY_BUNDLE = 'dist/proxy.cjs';

/** Where undici resolves from: @mcp-oauth/transport-fetch, the package that depends on it. */
const UNDICI_FROM = fileURLToPath(new URL('../transport-fetch/', import.meta.url));

/**
 * `mcp-oauth proxy` (src/proxy/run-proxy-command.ts), which hosts spawn for every window, as one
 * minified CommonJS file with what it loads inlined (the SDK's transports and zod, core, the file
 * store, undici): a start reads one file, which the bin compiles through V8's code cache
 * (src/load-proxy-command.ts), so that a start neither resolves about two hundred modules nor
 * compiles them, and Node's ESM loader is never started. Left out, loaded from node_modules when
 * chosen: the keychain store (it finds its native module from its own folder), `--store auto`'s
 * default store (it imports the keychain store) and the Redis store (installed on request); their
 * `import()` calls become `__lazy` (routeLazyImports).
 */
async function buildProxyBundle(): Promise<void> {
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
export { Request } from 'undici/lib/web/fetch/request.js';
export { Response } from 'undici/lib/web/fetch/response.js';
`;
  const undiciPartsPlugin: Plugin = {
    name: 'undici-parts',
    setup(bundle) {
      bundle.onResolve({ filter: /^undici$/ }, () => ({
        path: 'undici',
        namespace: 'undici-parts',
      }));
      bundle.onLoad({ filter: /.*/, namespace: 'undici-parts' }, () => ({
        contents: undiciParts,
        resolveDir: UNDICI_FROM,
        loader: 'js',
      }));
      // The Fetch classes the bundle names as globals (the SDK's `new Headers`, core's
      // `instanceof Request`, `new Response`) are the bundled undici's, the same classes the
      // bridge's fetch (transport-fetch) makes and takes: Node's own globals would load Node's
      // copy of undici on the first request, a second HTTP stack the bridge never uses.
      bundle.onResolve({ filter: /^fetch-globals$/ }, () => ({
        path: 'fetch-globals',
        namespace: 'undici-parts-globals',
      }));
      bundle.onLoad({ filter: /.*/, namespace: 'undici-parts-globals' }, () => ({
        contents: "export { Headers, Request, Response } from 'undici';",
        resolveDir: UNDICI_FROM,
        loader: 'js',
      }));
      // HTTP/2: undici speaks it only when a dispatcher is made with `allowH2`, which
      // transport-fetch never sets; its module would load node:http2 at every start.
      bundle.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/ }, () => ({
        contents:
          "module.exports = () => { throw new Error('mcp-oauth proxy: HTTP/2 is not built in (undici allowH2 is never set)'); };",
        loader: 'js',
      }));
    },
  };
  // The SDK's schema modules build every zod schema of the protocol at import (about two
  // hundred); the bridge's code uses a dozen (JSON-RPC messages, OAuth metadata). esbuild drops
  // an unused definition only when every call in it is marked pure, so the calls on `z` and on
  // schemas in top-level `const` definitions are marked (`/* @__PURE__ */`): the schemas some kept
  // code uses are built exactly as the SDK builds them, the others not at all. Functions (the
  // `isJSONRPCRequest = (value) => ...` guards, `assert...`) are left as they are: a pure mark
  // there could drop a call whose result is unused.
  const schemasOnDemand: Plugin = {
    name: 'sdk-schemas-on-demand',
    setup(bundle) {
      bundle.onLoad(
        {
          filter:
            /[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/](types|shared[\\/]auth)\.js$/,
        },
        async (args) => {
          const code = await readFile(args.path, 'utf8');
          const statements = code.split(/^(?=export |const |function |class |var |let |import )/m);
          const definition = /^(?:export )?const \w+ = (?!\(?[\w, ]*\)? *=>)/;
          const schemaCall = /(?<![.\w])(z|\w+Schema)(\s*\.\s*\w+\s*\()/g;
          const marked = statements
            .map((s) => (definition.test(s) ? s.replace(schemaCall, '/* @__PURE__ */ $1$2') : s))
            .join('');
          if (!marked.includes('@__PURE__')) throw new Error(`${args.path}: no schema found`);
          return { contents: marked, loader: 'js' };
        },
      );
    },
  };
  const result = await build({
    entryPoints: ['src/proxy/run-proxy-command.ts'],
    outfile: PROXY_BUNDLE,
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    legalComments: 'linked',
    external: ['@mcp-oauth/store-default', '@mcp-oauth/store-keychain', '@mcp-oauth/store-redis'],
    inject: ['fetch-globals'],
    plugins: [undiciPartsPlugin, schemasOnDemand],
    metafile: true,
    logLevel: 'warning',
  });
  await routeLazyImports(PROXY_BUNDLE, result.metafile);
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
    await buildProxyBundle();
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
