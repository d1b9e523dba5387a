import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The public repository the package.json links and README links point to. */
export const REPOSITORY = 'https://github.com/mcp-oauth/mcp-oauth';

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string } | string;
  homepage?: string;
  bugs?: { url?: string } | string;
  files?: string[];
  engines?: Record<string, string>;
  bin?: Record<string, string> | string;
  main?: string;
  types?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface WorkspacePackage {
  /** Absolute folder. */
  dir: string;
  /** Folder relative to the root, with forward slashes: `packages/core`. */
  path: string;
  manifest: Manifest;
}

export function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** Every workspace package (the folders of pnpm-workspace.yaml), in folder order. */
export function workspacePackages(): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ['packages', 'test', 'examples']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name, 'package.json');
      if (existsSync(file))
        found.push({
          dir: join(dir, name),
          path: `${group}/${name}`,
          manifest: readManifest(file),
        });
    }
  }
  const bench = join(root, 'bench', 'package.json');
  if (existsSync(bench))
    found.push({ dir: join(root, 'bench'), path: 'bench', manifest: readManifest(bench) });
  return found;
}

/** The packages published to npm: every non-private package under packages/. */
export function publishedPackages(): WorkspacePackage[] {
  return workspacePackages().filter((p) => p.path.startsWith('packages/') && !p.manifest.private);
}

export function relativeToRoot(path: string): string {
  return relative(root, path).replaceAll('\\', '/');
}
