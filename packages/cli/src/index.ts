import { VERSION } from './version.ts';

// `--version` answers before anything else is loaded (hosts and scripts probe it often).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // commander and the command definitions; each command loads what it uses when it runs
  const [{ CommanderError }, { EXIT }, { createProgram }] = await Promise.all([
    import('commander'),
    import('./exit-codes.ts'),
    import('./program.ts'),
  ]);
  const program = createProgram();

  // Usage errors exit with 2; --help and --version with 0.
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT.failure;
    }
  }
}
