/** `proxy --timeout`'s default: how long, in seconds, a login in the browser may take. */
export const DEFAULT_LOGIN_TIMEOUT = '300';
