import type { Command } from 'commander';
import { type CommandContext, createContext } from './context.ts';
import { exitCodeFor } from './exit-codes.ts';
import type { GlobalFlags } from './settings.ts';

/**
 * Runs a command's body with its context; a failure becomes one error line on stderr
 * (plus the server's OAuth error, if any) and the documented exit code.
 */
export function runAction(
  command: Command,
  body: (ctx: CommandContext) => Promise<unknown>,
): Promise<void> {
  return runWithFlags(command.optsWithGlobals<GlobalFlags & { json?: boolean }>(), body);
}

/** `runAction` for flags parsed without commander (the quick entry of `index.ts`). */
export async function runWithFlags(
  flags: GlobalFlags & { json?: boolean },
  body: (ctx: CommandContext) => Promise<unknown>,
): Promise<void> {
  let ctx: CommandContext | undefined;
  try {
    ctx = createContext(flags);
    const code = await body(ctx);
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (error) {
    // the error texts (and the flag tables behind them) are loaded when there is an error
    const { reportError, reportJsonError } = await import('./report-error.ts');
    if (flags.json) reportJsonError(error, ctx);
    else reportError(error, ctx, flags.verbose === true);
    process.exitCode = exitCodeFor(error);
  } finally {
    await ctx?.close().catch(() => {});
  }
}
