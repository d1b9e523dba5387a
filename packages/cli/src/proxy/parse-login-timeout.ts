import { usageError } from '../exit-codes.ts';
import { MAX_LOGIN_TIMEOUT } from './login-timeout.ts';

/**
 * `--timeout <seconds>` of `login` and `proxy` (how long a login in the browser may take), in
 * milliseconds: whole seconds from 1 to 86400, the one rule for both commands; anything else is
 * a usage error naming the flag and the range. (Not in login-timeout.ts, which the bin's entry
 * loads for every command: this one loads the error classes.)
 */
export function parseLoginTimeout(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LOGIN_TIMEOUT)
    throw usageError(
      `--timeout must be a whole number of seconds from 1 to ${MAX_LOGIN_TIMEOUT} (got "${value}").`,
    );
  return n * 1000;
}
