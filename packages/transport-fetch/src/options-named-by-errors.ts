import type { CreateFetchOptions } from './options.ts';

/**
 * Every option of `createFetch` that an error names as the way out (a limit to raise, a
 * certificate to trust). Such an error carries it as `details.option` and names it in
 * backticks in its last sentence, so that another interface (the CLI) can tell its own users
 * how to set it there.
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

/** An option of `createFetch` that an error may name in `details.option`. */
export type FetchOptionNamedByErrors = (typeof OPTIONS_NAMED_BY_ERRORS)[number];
