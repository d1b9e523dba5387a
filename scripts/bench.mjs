// `npm run bench`: builds, then runs every benchmark in bench/ (commands, not tests).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { installDependencies, pnpm, root } from './lib/pnpm.mjs';

installDependencies();
if (pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']) !== 0) process.exit(1);
const only = process.argv[2];
for (const file of readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.mjs'))) {
  if (only && !file.includes(only)) continue;
  process.stdout.write(`\n=== bench/${file} ===\n`);
  spawnSync(process.execPath, [join(root, 'bench', file), ...process.argv.slice(3)], {
    stdio: 'inherit',
  });
}
