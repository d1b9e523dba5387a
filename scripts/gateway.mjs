// `npm run gateway`: install, build what the web gateway example needs, and run it on embedded
// defaults (its own authorization server, MCP server and store). Stop it with Ctrl+C.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { installDependencies, pnpm, root } from './lib/pnpm.mjs';

installDependencies();
const built = pnpm([
  'exec',
  'turbo',
  'run',
  'build',
  '--filter=@mcp-oauth/example-web-gateway...',
  '--output-logs=errors-only',
  '--log-prefix=none',
]);
if (built !== 0) process.exit(built);
const run = spawnSync(
  process.execPath,
  [join(root, 'examples', 'web-gateway', 'dist', 'main.js'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
