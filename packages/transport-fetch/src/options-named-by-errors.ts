import type { CreateFetchOptions } from './options.ts';

/**
 * Every option of `createFetch` that an error names as the way out (a limit to raise, a
 * certificate to trust). Such an error carries it as `details.option` and names it in
 * backticks in its last sentence, so that another interface (the CLI) can tell its own users
 * how to set it there.
 *
 * @example
 * ```ts
 * import { McpOAuthError } from '@mcp-oauth/core';
 * import { OPTIONS_NAMED_BY_ERRORS } from '@mcp-oauth/transport-fetch';
 *
 * const named: readonly string[] = OPTIONS_NAMED_BY_ERRORS;
 * const optionOf = (error: unknown) => {
 *   const option = error instanceof McpOAuthError ? error.details.option : undefined;
 *   return typeof option === 'string' && named.includes(option) ? option : undefined;
 * };
 * ```
 */
export const OPTIONS_NAMED_BY_ERRORS = [
  'ca',
  'maxResponseBytes',
  'maxEventBytes',
  'maxEventStreamBytes',
  'connectTimeoutMs',
  'headersTimeoutMs',
  'bodyTimeoutMs',
  'eventStreamIdleTimeoutMs',
] as const satisfies readonly (keyof CreateFetchOptions)[];

/**
 * An option of `createFetch` that an error may name in `details.option`.
 *
 * @example
 * ```ts
 * import type { FetchOptionNamedByErrors } from '@mcp-oauth/transport-fetch';
 *
 * // the CLI's flag for each option an error may name
 * const flags: Record<FetchOptionNamedByErrors, string> = {
 *   ca: '--ca',
 *   maxResponseBytes: '--max-response-bytes',
 *   maxEventBytes: '--max-event-bytes',
 *   maxEventStreamBytes: '--max-event-stream-bytes',
 *   connectTimeoutMs: '--connect-timeout',
 *   headersTimeoutMs: '--headers-timeout',
 *   bodyTimeoutMs: '--body-timeout',
 *   eventStreamIdleTimeoutMs: '--event-stream-idle-timeout',
 * };
 * ```
 */
export type FetchOptionNamedByErrors = (typeof OPTIONS_NAMED_BY_ERRORS)[number];
