// Finds pnpm, installing the pinned version into .tools/ when the machine has none
// (a fresh machine has only Node and npm). Nothing is installed globally.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const wanted = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];
const local = join(root, '.tools', 'pnpm', 'node_modules', '.bin', 'pnpm');

function version(command) {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The local pnpm's folder goes first on PATH for every child process: turbo looks pnpm up
 * on PATH (the packageManager field), and fails to build anything without it.
 */
function useLocal() {
  const bin = dirname(local);
  if (!(process.env.PATH ?? '').split(delimiter).includes(bin)) {
    process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
  }
  return local;
}

export function pnpmCommand() {
  // (set MCP_OAUTH_LOCAL_PNPM=1 to ignore a global pnpm, as on a fresh machine)
  if (!process.env.MCP_OAUTH_LOCAL_PNPM && version('pnpm')?.split('.')[0] === wanted.split('.')[0])
    return 'pnpm';
  if (existsSync(local) && version(local) === wanted) return useLocal();
  process.stderr.write(`installing pnpm ${wanted} into .tools/pnpm\n`);
  execFileSync(
    'npm',
    [
      'install',
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--prefix',
      join(root, '.tools', 'pnpm'),
      `pnpm@${wanted}`,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return useLocal();
}

/** Runs pnpm with arguments in the repository root; returns the exit code. */
export function pnpm(args, options = {}) {
  const r = spawnSync(pnpmCommand(), args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    ...options,
  });
  return r.status ?? 1;
}

/** Installs the workspace's dependencies exactly as locked. */
export function installDependencies() {
  const code = pnpm(['install', '--frozen-lockfile', '--reporter=append-only', '--loglevel=warn']);
  if (code !== 0) throw new Error(`pnpm install failed (exit ${code})`);
}
