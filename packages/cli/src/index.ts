/**
 * The `mcp-oauth` command as an ES module (`@mcp-oauth/cli`'s main entry; the package's bin is
 * the CommonJS dist/bin.cjs, src/bin.ts, which routes alike). This entry runs the command line
 * and exports nothing; a program that embeds the stdio bridge imports `@mcp-oauth/cli/bridge`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { namesQuickCommand, route } from './route.ts';
import { stdoutIsTerminal } from './stdout-is-terminal.ts';
import { VERSION } from './version.ts';
import { writeStdout } from './write-stdout.ts';

// Node's on-disk cache of compiled code (Node >= 22.1; not in Node 20's types): later starts
// skip compiling the CLI's modules
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const args = process.argv.slice(2);
const to = route(args, stdoutIsTerminal);
const help = to === 'help' ? renderedHelp() : undefined;
if (to === 'version') {
  // answered before anything else is loaded (hosts and scripts probe it often)
  writeStdout(`${VERSION}\n`);
} else if (help !== undefined) {
  writeStdout(help);
} else if (to === 'usage') {
  // no arguments: a short usage, not the whole help (that is --help)
  writeStdout((await import('./usage.ts')).SHORT_USAGE);
} else if (
  to === 'proxy' &&
  (await (
    await import('./proxy-entry.ts')
  ).runProxyEntry(args, () => import('./proxy/run-proxy-command.ts')))
) {
  // proxy, which hosts spawn for every window: without commander and the other commands
  // (the bin runs it from one bundled file, dist/proxy.cjs)
} else if (
  (to === 'quick' || (to === 'proxy' && namesQuickCommand(args))) &&
  (await (await import('./quick-entry.ts')).runQuickEntry(args))
) {
  // token, header, list, show: answered without commander and the other commands
} else {
  await (await import('./run-program.ts')).runProgram(process.argv);
}

/** dist/help.txt, written by the build beside this file; undefined when running from src/. */
function renderedHelp(): string | undefined {
  try {
    return readFileSync(new URL('./help.txt', import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}
