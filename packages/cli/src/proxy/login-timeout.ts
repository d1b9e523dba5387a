/** `proxy --timeout`'s default: how long, in seconds, a login in the browser may take. */
export const DEFAULT_LOGIN_TIMEOUT = '300';

/**
 * The longest a login in the browser may take, in seconds (`login --timeout`, `proxy
 * --timeout`): a day. Checked by the CLI itself, so that loopback's own check of `timeoutMs`
 * (at most 2^31 - 1 ms) is never what a person at the command line reads.
 */
export const MAX_LOGIN_TIMEOUT = 86_400;
