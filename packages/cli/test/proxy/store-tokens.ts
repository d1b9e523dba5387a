import { join } from 'node:path';
import type { StoreRecord } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import type { AuthServer } from '@mcp-oauth/testing';
import type { Sandbox } from '../helpers.ts';

/** The tokens record the CLI keeps in the sandbox's file store (undefined: none). */
export async function storedTokens(box: Sandbox): Promise<StoreRecord | undefined> {
  const store = fileStore({ directory: join(box.dir, 'store') });
  try {
    const [key] = await store.list('tokens:');
    return key ? await store.get(key) : undefined;
  } finally {
    await store.close?.();
  }
}

/** Revokes the stored refresh token at the authorization server (RFC 7009), as an admin or the user elsewhere would. */
export async function revokeStoredRefreshToken(box: Sandbox, as: AuthServer): Promise<StoreRecord> {
  const tokens = await storedTokens(box);
  if (!tokens || typeof tokens.refreshToken !== 'string')
    throw new Error('no refresh token stored');
  const metadata = (await (
    await fetch(`${as.issuer}/.well-known/openid-configuration`)
  ).json()) as { revocation_endpoint: string };
  const response = await fetch(metadata.revocation_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      token: tokens.refreshToken,
      token_type_hint: 'refresh_token',
      client_id: String(tokens.clientId),
    }),
  });
  if (!response.ok)
    throw new Error(`revocation answered ${response.status}: ${await response.text()}`);
  return tokens;
}

/** Waits until the bridge must refresh these tokens (halfway through their life, by core's rule). */
export async function untilRefreshDue(tokens: StoreRecord): Promise<void> {
  const obtainedAt = Number(tokens.obtainedAt);
  const expiresAt = Number(tokens.expiresAt);
  const due = obtainedAt + (expiresAt - obtainedAt) / 2;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now()) + 100));
}
