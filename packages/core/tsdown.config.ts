import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsdown';

const ENTRIES = [
  'src/index.ts',
  'src/flow.ts',
  'src/device.ts',
  'src/client-credentials.ts',
  'src/enterprise.ts',
  'src/workload.ts',
  'src/dpop.ts',
  'src/private-key-jwt.ts',
  'src/management.ts',
  'src/servers.ts',
  'src/store.ts',
];

interface ModuleGraph {
  getModuleInfo(id: string): { importedIds: readonly string[] } | null;
}

/** The modules an entry loads up front (its static imports, recursively; the entry excluded). */
function staticImports(graph: ModuleGraph, entry: string): Set<string> {
  const root = fileURLToPath(new URL(entry, import.meta.url));
  // an id that does not match the graph's would silently leave every chunk as it was
  if (!graph.getModuleInfo(root)) throw new Error(`${entry} (${root}) is not in the module graph`);
  const found = new Set<string>();
  const visit = (id: string) => {
    if (found.has(id)) return;
    found.add(id);
    for (const dep of graph.getModuleInfo(id)?.importedIds ?? []) visit(dep);
  };
  visit(root);
  found.delete(root);
  return found;
}

let eager: { client: Set<string>; shared: Set<string> } | undefined;
/**
 * The public entry's static imports, in two sets: those that only the client needs (`/servers`
 * hands out clients, so it shares them), and those that other entries import too. Computed once
 * per build, from the module graph.
 */
function eagerModules(graph: ModuleGraph) {
  if (!eager) {
    const client = staticImports(graph, 'src/index.ts');
    const others = ENTRIES.filter((e) => e !== 'src/index.ts' && e !== 'src/servers.ts').flatMap(
      (e) => [...staticImports(graph, e)],
    );
    const shared = new Set(others.filter((id) => client.has(id)));
    for (const id of shared) client.delete(id);
    eager = { client, shared };
  }
  return eager;
}

export default defineConfig({
  entry: ENTRIES,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
  plugins: [
    {
      name: 'eager-chunks',
      buildStart() {
        eager = undefined;
      },
    },
  ],
  outputOptions: {
    // Node resolves, reads, compiles and links each file of an ES module graph on its own: what
    // `@mcp-oauth/core` loads up front comes in two chunks instead of sixteen. `core`: what other
    // entries import too (errors, the memory store, store keys and records, the guarded
    // fetch...), taken first so that `client` does not pull it in as its dependencies; `client`:
    // what only the client needs (`createOAuthClient`, its session; `/servers` too). The other
    // entries import `core` alone, which holds none of the client's lazy edges, so they neither
    // load nor (in an application's bundler) reach the client's code. Lazy parts stay split.
    codeSplitting: {
      groups: [
        {
          name: (id, graph) => (eagerModules(graph).shared.has(id) ? 'core' : null),
          priority: 2,
        },
        {
          name: (id, graph) => (eagerModules(graph).client.has(id) ? 'client' : null),
          priority: 1,
        },
      ],
    },
  },
});
