import { McpOAuthError } from '@mcp-oauth/core';
import { CliError, EXIT, exitCodeFor } from './exit-codes.ts';
import { httpStatusOf } from './http-status-of.ts';
import { loginLine } from './option-flags.ts';

/** "Not logged in": the server has no tokens in this store (none were ever stored, or logged out). */
export function notLoggedIn(
  server: { name: string; serverUrl: string },
  storeFlags: string,
): CliError {
  const login = loginLine({ url: server.serverUrl, name: server.name, store: storeFlags });
  return new CliError(
    'not_logged_in',
    `Not logged in to ${server.serverUrl}. Log in with \`${login}\`.`,
    EXIT.loginNeeded,
  );
}

/**
 * A failure that means "log in again" (exit 3: the tokens are gone, the refresh token was
 * rejected, or they belong to a client registration the authorization server forgot), told
 * with why, when core said, and the command that logs in again. Other failures are returned
 * as they are.
 */
export function withLoginHint(
  error: unknown,
  server: { name: string; serverUrl: string },
  storeFlags: string,
): unknown {
  if (CliError.isInstance(error) || exitCodeFor(error) !== EXIT.loginNeeded) return error;
  const why = [error, (error as { cause?: unknown }).cause].find((e) =>
    McpOAuthError.is(e, 'reauthorization_required'),
  ) as McpOAuthError | undefined;
  const login = `\`${loginLine({ url: server.serverUrl, name: server.name, store: storeFlags })}\``;
  // the library's own "authorize again" is for library users: a CLI user is told the command
  const message =
    why?.oauthError === 'invalid_grant'
      ? `The refresh token for ${server.name} was rejected; log in again with ${login}.`
      : why
        ? `${why.message} Log in again with ${login}.`
        : `There are no usable tokens for ${server.name} (none stored, or they can no longer be used or refreshed). Log in with ${login}.`;
  return new CliError('login_needed', message, EXIT.loginNeeded);
}

/**
 * A failure after the server asked for more scope (403 `insufficient_scope`, core's step-up)
 * that means "log in again": told as the scope to log in with, and the command that adds it
 * (the scopes held plus those asked for: `login --scope` replaces the scopes a name keeps).
 */
export function withStepUpHint(
  error: unknown,
  server: { name: string; serverUrl: string },
  scope: string,
  storeFlags: string,
): unknown {
  if (CliError.isInstance(error) || exitCodeFor(error) !== EXIT.loginNeeded) return error;
  const target = { url: server.serverUrl, name: server.name, store: storeFlags };
  const login = loginLine(target, `--scope ${scope}`);
  return new CliError(
    'login_needed',
    `${server.serverUrl} needs the scopes "${scope}" for this request (those held and those it asked for): log in with them, \`${login}\`.`,
    EXIT.loginNeeded,
  );
}

/**
 * The MCP server's final 401 to a request made with stored tokens (core refreshed or found no
 * way to: the server refuses them), from the SDK transport's error, told as "log in again" (exit
 * 3) with the command, as `status` tells it. DPoP-bound tokens (`tokenType` DPoP) may be refused
 * by a server that takes only Bearer tokens: the login without DPoP is told too. Other failures
 * are returned as they are.
 */
export function withRefusedTokensHint(
  error: unknown,
  server: { name: string; serverUrl: string },
  storeFlags: string,
  tokenType: string | undefined,
): unknown {
  if (httpStatusOf(error) !== 401) return error;
  const target = { url: server.serverUrl, name: server.name, store: storeFlags };
  const dpop =
    tokenType?.toLowerCase() === 'dpop'
      ? `; the tokens are DPoP-bound, and a server that takes only Bearer tokens refuses them: then log in with \`${loginLine(target, '--dpop off')}\``
      : '';
  return new CliError(
    'login_needed',
    `The server refused the tokens for ${server.name} (HTTP 401). Log in again with \`${loginLine(target)}\`${dpop}.`,
    EXIT.loginNeeded,
  );
}
