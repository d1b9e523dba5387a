// A web app: suspend at "awaiting redirect", keep the pending value in the session, and
// resume in whichever process handles the callback. (core README)
import { createOAuthClient, type PendingAuthorization } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';

const session = new Map<string, PendingAuthorization>();
const client = (userId: string) =>
  createOAuthClient({
    serverUrl: 'https://mcp.example.com/mcp',
    store: fileStore({ namespace: userId }),
  });

export async function startLogin(userId: string): Promise<string> {
  const { authorizationUrl, pending } = await client(userId).beginAuthorization({
    redirectUri: 'https://app.example.com/oauth/callback',
  });
  session.set(userId, pending);
  return authorizationUrl; // redirect the browser here
}

export async function onCallback(userId: string, requestUrl: string) {
  const pending = session.get(userId);
  if (!pending) throw new Error('no login in progress');
  session.delete(userId);
  return client(userId).completeAuthorization(pending, requestUrl);
}
