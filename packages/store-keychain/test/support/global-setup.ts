import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '../..');
const root = resolve(pkg, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Child processes run the built package: (re)build it, and core, when missing or stale. */
function ensureBuilt(dir: string): void {
  const out = join(dir, 'dist/index.js');
  if (existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(dir, 'src'))) return;
  execFileSync(join(root, 'node_modules/.bin/tsdown'), [], { cwd: dir, stdio: 'ignore' });
}

export default function setup(): void {
  if (process.env.MCP_OAUTH_PRIVATE_KEYRING !== '1' || !process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error(
      'These tests write to a Secret Service and must not touch your real keyring: run them with `pnpm test` (scripts/with-keyring.sh), after scripts/setup-keyring.sh.',
    );
  }
  ensureBuilt(resolve(root, 'packages/core'));
  ensureBuilt(pkg);
}
