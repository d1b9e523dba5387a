import { McpOAuthError, type McpOAuthErrorCode, type TokenStore } from '@mcp-oauth/core';
import { expect } from 'vitest';
import { type VaultStoreOptions, vaultStore } from '../src/index.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const b64 = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

let counter = 0;
export const uniqueNs = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}`;

/** Fast retries so fault tests stay quick. */
export function openStore(address: string, options: VaultStoreOptions): TokenStore {
  return vaultStore({
    address,
    retry: { attempts: 3, minDelayMs: 10, maxDelayMs: 100 },
    ...options,
  });
}

export async function expectError(
  promise: Promise<unknown>,
  code: McpOAuthErrorCode,
): Promise<McpOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(McpOAuthError.isInstance(error), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as McpOAuthError).code).toBe(code);
  return error as McpOAuthError;
}

/** Everything an error exposes, to check that no secret leaks into it. */
export function errorText(error: McpOAuthError): string {
  return [
    error.message,
    JSON.stringify(error.details),
    String(error.cause),
    (error.cause as Error)?.stack,
  ].join('\n');
}
