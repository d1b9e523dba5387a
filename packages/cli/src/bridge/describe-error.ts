import { httpStatusOf } from '../http-status-of.ts';
import type { BridgeError } from './bridge.ts';
import { BRIDGE_ERROR } from './messages.ts';

/** An error's message for a log line or a JSON-RPC error: one line, at most 300 characters. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // the SDK transports quote the response body: an HTML error page says nothing on one line
  const page = text.search(/<!doctype html|<html[\s>]/i);
  const line = (page >= 0 ? `${text.slice(0, page)}(an HTML page)` : text).replace(/\s+/g, ' ');
  return line.length > 300 ? `${line.slice(0, 297)}...` : line.trim();
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
