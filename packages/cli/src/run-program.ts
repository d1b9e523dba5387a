import { CommanderError } from 'commander';
import { CliError, EXIT } from './exit-codes.ts';
import { createProgram } from './program.ts';
import { jsonError } from './report-error.ts';

/**
 * The whole command line: commander and the command definitions (each command loads what it
 * uses when it runs). Usage errors exit with 2, --help and --version with 0; with --json,
 * errors are one JSON document on stderr (commander's own text is held back).
 */
export async function runProgram(argv: readonly string[] = process.argv): Promise<void> {
  const program = createProgram();
  const json = argv.slice(2).includes('--json');
  const writeJsonError = (error: unknown) =>
    process.stderr.write(`${JSON.stringify(jsonError(error))}\n`);

  program.exitOverride();
  for (const command of [program, ...program.commands]) {
    command.exitOverride();
    if (json) command.configureOutput({ outputError: () => {}, writeErr: () => {} });
  }

  try {
    await program.parseAsync([...argv]);
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
