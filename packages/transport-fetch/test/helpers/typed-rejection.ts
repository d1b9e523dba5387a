import { McpOAuthError } from '@mcp-oauth/core';
import { expect } from 'vitest';

/** Awaits a promise that must reject with an McpOAuthError, and returns that error. */
export async function typedRejection(promise: Promise<unknown>): Promise<McpOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(McpOAuthError.isInstance(error)).toBe(true);
  return error as McpOAuthError;
}
