/**
 * The `mcp-oauth` command (`npx @mcp-oauth/cli --help`). This entry runs the command line and
 * exports nothing; a program that embeds the stdio bridge imports `@mcp-oauth/cli/bridge`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { VERSION } from './version.ts';

// Node's on-disk cache of compiled code (Node >= 22.1; not in Node 20's types): later starts
// skip compiling the CLI's modules
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** The commands src/quick-entry.ts may take (other command lines do not load it). */
const QUICK_COMMANDS = new Set(['token', 'header', 'list', 'ls', 'show']);

// `--version` answers before anything else is loaded (hosts and scripts probe it often).
const args = process.argv.slice(2);
// --help to a pipe (scripts, hosts): the text commander prints there, rendered by the build
// (tsdown.config.ts); to a terminal commander fits it to the window's width
const pipedHelp =
  args.length === 1 && (args[0] === '--help' || args[0] === '-h') && !process.stdout.isTTY
    ? renderedHelp()
    : undefined;
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else if (pipedHelp !== undefined) {
  process.stdout.write(pipedHelp);
} else if (args.length === 0) {
  // no arguments: a short usage, not the whole help (that is --help)
  process.stdout.write((await import('./usage.ts')).SHORT_USAGE);
} else if (
  args.includes('proxy') &&
  (await (await import('./proxy-entry.ts')).runProxyEntry(args))
) {
  // proxy, which hosts spawn for every window: without commander, from one bundled file
} else if (
  args.some((arg) => QUICK_COMMANDS.has(arg)) &&
  (await (await import('./quick-entry.ts')).runQuickEntry(args))
) {
  // token, header, list, show: answered without commander and the other commands
} else {
  // commander and the command definitions; each command loads what it uses when it runs
  const [{ CommanderError }, { CliError, EXIT }, { createProgram }, { jsonError }] =
    await Promise.all([
      import('commander'),
      import('./exit-codes.ts'),
      import('./program.ts'),
      import('./report-error.ts'),
    ]);
  const program = createProgram();
  // with --json, errors are one JSON document on stderr (commander's own text is held back)
  const json = args.includes('--json');
  const writeJsonError = (error: unknown) =>
    process.stderr.write(`${JSON.stringify(jsonError(error))}\n`);

  // Usage errors exit with 2; --help and --version with 0.
  program.exitOverride();
  for (const command of [program, ...program.commands]) {
    command.exitOverride();
    if (json) command.configureOutput({ outputError: () => {}, writeErr: () => {} });
  }

  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      if (json && error.exitCode !== 0)
        writeJsonError(new CliError('usage', error.message.replace(/^error: /, ''), EXIT.usage));
    } else if (json) {
      writeJsonError(error);
      process.exitCode = EXIT.failure;
    } else {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT.failure;
    }
  }
}

/** dist/help.txt, written by the build beside this file; undefined when running from src/. */
function renderedHelp(): string | undefined {
  try {
    return readFileSync(new URL('./help.txt', import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}
