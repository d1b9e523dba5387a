import { httpStatusOf } from '../http-status-of.ts';
import type { BridgeError } from './bridge.ts';
import { BRIDGE_ERROR } from './messages.ts';

/** An error's message for a log line or a JSON-RPC error. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The JSON-RPC error the host gets when `describeError` is not given: the error's message. */
export function defaultDescribeError(error: unknown): BridgeError {
  const status = httpStatusOf(error);
  return {
    code: BRIDGE_ERROR.remoteFailed,
    message: `${status ? `HTTP ${status}: ` : ''}${errorText(error)}`,
    ...(status ? { data: { status } } : {}),
  };
}
