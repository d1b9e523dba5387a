import type { ServerQuirks } from '../discovery/quirks.ts';

/**
 * Every option of `createOAuthClient` that an error names as the way out, by its path
 * (`quirks.assumePkceS256`). Such an error carries it as `details.option` and names it in
 * backticks in its last clause, so that another interface (the CLI, a bridge) can tell its
 * own users how to set it there: no message names an option its reader cannot set.
 *
 * @example
 * ```ts
 * import { OPTIONS_NAMED_BY_ERRORS, type OptionNamedByErrors } from '@mcp-oauth/core/flow';
 *
 * // A CLI checks that every option an error may name has a flag of its own.
 * const flags: Partial<Record<OptionNamedByErrors, string>> = {
 *   allowInsecureHttp: '--allow-http',
 *   'quirks.assumePkceS256': '--assume-pkce',
 * };
 * const unmapped = OPTIONS_NAMED_BY_ERRORS.filter((option) => !(option in flags));
 * ```
 */
export const OPTIONS_NAMED_BY_ERRORS = [
  'allowInsecureHttp',
  'maxResponseBytes',
  'interaction',
  'scopes',
  'client.clientId',
  'client.clientMetadataUrl',
  'authorizationServer.issuer',
  'dpop',
  'dpop.mode',
  'quirks.assumePkceS256',
  'quirks.omitResourceParameter',
  'quirks.allowIssuerTrailingSlash',
  'quirks.allowMissingTokenType',
] as const;

/**
 * An option an error may name in `details.option`.
 *
 * @example
 * ```ts
 * import { McpOAuthError } from '@mcp-oauth/core';
 * import type { OptionNamedByErrors } from '@mcp-oauth/core/flow';
 *
 * declare const error: unknown;
 * if (McpOAuthError.isInstance(error)) {
 *   const option = error.details.option as OptionNamedByErrors | undefined;
 *   if (option === 'allowInsecureHttp') console.error('use --allow-http');
 * }
 * ```
 */
export type OptionNamedByErrors = (typeof OPTIONS_NAMED_BY_ERRORS)[number];

// Every quirk is an option a refusal may name: the list cannot forget one.
type QuirkOption = `quirks.${keyof ServerQuirks}`;
const _everyQuirk: QuirkOption extends OptionNamedByErrors ? true : never = true;
void _everyQuirk;
