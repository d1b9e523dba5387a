import { McpOAuthError, type McpOAuthErrorCode } from '@mcp-oauth/core';
import { expect } from 'vitest';

/** Awaits `promise` and checks it rejects with an McpOAuthError carrying `code`. */
export async function expectCode(
  promise: Promise<unknown>,
  code: McpOAuthErrorCode,
): Promise<McpOAuthError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a rejection with code ${code}`).toBeDefined();
  expect(McpOAuthError.isInstance(caught), `expected an McpOAuthError, got ${String(caught)}`).toBe(
    true,
  );
  expect((caught as McpOAuthError).code).toBe(code);
  return caught as McpOAuthError;
}

/** Calls `fn` and turns a synchronous throw into a rejection, so both count. */
export function settle(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Resolves to true if `promise` settles within `ms`, false otherwise. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
