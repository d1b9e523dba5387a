import { McpOAuthError } from '@mcp-oauth/core/store';
import type { CommandContext } from './context.ts';
import { CliError, exitCodeFor } from './exit-codes.ts';
import { cliFlag, cliMessage } from './option-flags.ts';
import { SCHEMA_VERSION } from './output.ts';

/**
 * One error line on stderr (plus the server's OAuth error, if any), the CLI's words for
 * the library's errors.
 */
export function reportError(
  error: unknown,
  ctx: CommandContext | undefined,
  verbose: boolean,
): void {
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

/** The error object of a `--json` error document (stderr). */
export interface JsonError {
  /** Stable: core's `McpOAuthError` codes, and the CLI's own (`usage`, `not_logged_in`, ...). */
  code: string;
  message: string;
  exitCode: number;
  /** The CLI flag that changes the outcome, when the error names a library option. */
  flag?: string;
  /** The server's OAuth `error` and `error_description`, when it sent them. */
  oauthError?: string;
  oauthErrorDescription?: string;
}

/** `{ schemaVersion, error }` for an error, as `--json` prints it on stderr. */
export function jsonError(
  error: unknown,
  target?: CommandContext['target'],
): {
  schemaVersion: typeof SCHEMA_VERSION;
  error: JsonError;
} {
  const flag = cliFlag(error);
  const body: JsonError = {
    code: McpOAuthError.isInstance(error) || CliError.isInstance(error) ? error.code : 'failure',
    message: cliMessage(error, target),
    exitCode: exitCodeFor(error),
    ...(flag ? { flag } : {}),
  };
  if (McpOAuthError.isInstance(error)) {
    if (error.oauthError) body.oauthError = error.oauthError;
    if (error.oauthErrorDescription) body.oauthErrorDescription = error.oauthErrorDescription;
  }
  return { schemaVersion: SCHEMA_VERSION, error: body };
}

export function reportJsonError(error: unknown, ctx: CommandContext | undefined): void {
  process.stderr.write(`${JSON.stringify(jsonError(error, ctx?.target))}\n`);
}
