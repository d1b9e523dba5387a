// `npm run demo`: install, build what the demo needs, and run it. No configuration.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { installDependencies, pnpm, root } from './lib/pnpm.mjs';

installDependencies();
const built = pnpm([
  'exec',
  'turbo',
  'run',
  'build',
  '--filter=@mcp-oauth/demo...',
  '--output-logs=errors-only',
  '--log-prefix=none',
]);
if (built !== 0) process.exit(built);
const run = spawnSync(process.execPath, [join(root, 'examples', 'demo', 'dist', 'main.js')], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
