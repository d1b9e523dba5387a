import { McpOAuthError } from './error.ts';
import type { OptionNamedByErrors } from './options.ts';

/**
 * `refusal`, said with {@link refusedWithoutScope} when the request it answers asked for no
 * scope and the server refused it (`access_denied`) or the scope (`invalid_scope`: RFC 6749 §3.3,
 * no scope and no default).
 */
export function withoutScopeSaid(refusal: McpOAuthError, scope: string | undefined): McpOAuthError {
  const refused = refusal.oauthError === 'access_denied' || refusal.oauthError === 'invalid_scope';
  return refused && !scope ? refusedWithoutScope(refusal) : refusal;
}

/**
 * An authorization refused (`access_denied`) whose request asked for no scope: MCP scope
 * selection asks for none when neither the MCP server's challenge nor its resource metadata
 * names one, and some authorization servers (oidc-provider among them) refuse such a request
 * with a bare `access_denied`. The refusal, with that said and the option that gives scopes.
 */
export function refusedWithoutScope(refusal: McpOAuthError): McpOAuthError {
  return new McpOAuthError(
    refusal.code,
    `${refusal.message} No scope was asked for (neither the MCP server's challenge nor its resource metadata names one), which some authorization servers refuse: ask for the scopes the server needs in the \`scopes\` option.`,
    {
      cause: refusal.cause,
      ...(refusal.oauthError ? { oauthError: refusal.oauthError } : {}),
      ...(refusal.oauthErrorDescription
        ? { oauthErrorDescription: refusal.oauthErrorDescription }
        : {}),
      details: { ...refusal.details, option: 'scopes' satisfies OptionNamedByErrors },
    },
  );
}
