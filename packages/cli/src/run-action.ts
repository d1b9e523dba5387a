import { McpOAuthError } from '@mcp-oauth/core';
import type { Command } from 'commander';
import { type CommandContext, createContext } from './context.ts';
import { exitCodeFor } from './exit-codes.ts';
import { cliMessage } from './option-flags.ts';
import type { GlobalFlags } from './settings.ts';

/**
 * Runs a command's body with its context; a failure becomes one error line on stderr
 * (plus the server's OAuth error, if any) and the documented exit code.
 */
export async function runAction(
  command: Command,
  body: (ctx: CommandContext) => Promise<unknown>,
): Promise<void> {
  const flags = command.optsWithGlobals<GlobalFlags>();
  let ctx: CommandContext | undefined;
  try {
    ctx = createContext(flags);
    const code = await body(ctx);
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (error) {
    reportError(error, ctx, flags.verbose === true);
    process.exitCode = exitCodeFor(error);
  } finally {
    await ctx?.close().catch(() => {});
  }
}

function reportError(error: unknown, ctx: CommandContext | undefined, verbose: boolean): void {
  const write = (line: string) =>
    ctx ? ctx.out.error(line) : process.stderr.write(`error: ${line}\n`);
  if (McpOAuthError.isInstance(error)) {
    write(`${cliMessage(error, ctx?.target)} [${error.code}]`);
    if (error.oauthError) {
      process.stderr.write(
        `  the server said: ${error.oauthError}${error.oauthErrorDescription ? `: ${error.oauthErrorDescription}` : ''}\n`,
      );
    }
  } else if (error instanceof Error) {
    write(error.message);
  } else {
    write(String(error));
  }
  if (verbose && error instanceof Error && error.cause) {
    process.stderr.write(
      `  cause: ${error.cause instanceof Error ? error.cause.message : String(error.cause)}\n`,
    );
  }
}
