import { Command, Option } from 'commander';
import { clearCommand } from './commands/clear.ts';
import { completionCommand } from './commands/completion.ts';
import { headerCommand } from './commands/header.ts';
import { inspectCommand } from './commands/inspect.ts';
import { listCommand } from './commands/list.ts';
import { loginCommand } from './commands/login.ts';
import { logoutCommand } from './commands/logout.ts';
import { migrateCommand } from './commands/migrate.ts';
import { proxyCommand } from './commands/proxy.ts';
import { refreshCommand } from './commands/refresh.ts';
import { showCommand } from './commands/show.ts';
import { statusCommand } from './commands/status.ts';
import { storesCommand } from './commands/stores.ts';
import { testCommand } from './commands/test.ts';
import { tokenCommand } from './commands/token.ts';
import { EXIT_CODES_HELP } from './exit-codes.ts';
import { ENVIRONMENT_HELP, STORE_KINDS, valuesFor } from './settings.ts';
import { VERSION } from './version.ts';

/** The `mcp-oauth` command line, its commands and flags (not yet parsed). */
export function createProgram(): Command {
  const program = new Command('mcp-oauth')
    .description('Log in to OAuth-protected MCP servers and manage their tokens.')
    .version(VERSION, '-V, --version')
    .addOption(
      valuesFor(
        new Option('--store <kind>', 'token store (env MCP_OAUTH_STORE; default auto)'),
        STORE_KINDS,
      ),
    )
    .option('--dir <path>', 'file store folder (env MCP_OAUTH_DIR)')
    .option('--namespace <name>', 'store namespace (env MCP_OAUTH_NAMESPACE; default "default")')
    .option('-q, --quiet', 'no progress output on stderr')
    .option('-v, --verbose', 'more progress output on stderr (every flow event, no secrets)')
    .option(
      '--http-timeout <seconds>',
      'time allowed for each HTTP phase: connecting, the response headers, each silence in a body (default 30; connecting 10)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ mcp-oauth login https://mcp.notion.com/mcp --name notion
  $ mcp-oauth list
  $ curl -H "Authorization: Bearer $(mcp-oauth token notion)" https://mcp.notion.com/mcp
  $ mcp-oauth inspect https://mcp.example.com/mcp

Data goes to stdout, progress and errors to stderr. Every data command takes --json.

${ENVIRONMENT_HELP}

${EXIT_CODES_HELP}`,
    );

  for (const command of [
    loginCommand(),
    listCommand(),
    showCommand(),
    statusCommand(),
    tokenCommand(),
    headerCommand(),
    testCommand(),
    proxyCommand(),
    refreshCommand(),
    logoutCommand(),
    clearCommand(),
    inspectCommand(),
    storesCommand(),
    migrateCommand(),
    completionCommand(),
  ]) {
    program.addCommand(command);
  }

  return program;
}
