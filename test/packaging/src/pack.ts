import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspacePackage } from './workspace.ts';

/** Runs pnpm (the one the workspace uses, found on PATH). */
export function pnpm(args: string[], cwd: string): string {
  return execFileSync(process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Packs a package as `pnpm publish` would (workspace: ranges replaced by versions) into a
 * folder of its own under `out`; returns the tarball's path.
 */
export function packTarball(pkg: WorkspacePackage, out: string): string {
  const dir = join(out, pkg.path.replaceAll('/', '-'));
  mkdirSync(dir, { recursive: true });
  pnpm(['pack', '--pack-destination', dir], pkg.dir);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack made no tarball for ${pkg.manifest.name}`);
  return join(dir, tarball);
}
