// Entry for Node, Deno and Bun: `<runtime> cli.mjs <mcpUrl>` prints the flow's result as one
// JSON line on stdout (or the error on stderr, exit 1).
import { runFlow } from './flow.mjs';

const g = /** @type {any} */ (globalThis);
const runtime = g.Deno
  ? `deno ${g.Deno.version.deno}`
  : g.Bun
    ? `bun ${g.Bun.version}`
    : `node ${g.process.version}`;
const args = g.Deno ? g.Deno.args : g.process.argv.slice(2);

try {
  const result = await runFlow({ mcpUrl: args[args.length - 1], runtime });
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`${runtime}: ${error?.stack ?? error}`);
  if (error?.cause) console.error('cause:', error.cause);
  if (g.Deno) g.Deno.exit(1);
  else g.process.exit(1);
}
