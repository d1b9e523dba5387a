// SSH boxes and CI: the device authorization grant (RFC 8628). (core README)
import { createOAuthClient } from '@mcp-oauth/core';
import { deviceInteraction } from '@mcp-oauth/core/device';
import { fileStore } from '@mcp-oauth/store-file';
import { keychainStore } from '@mcp-oauth/store-keychain';

export async function login(serverUrl: string) {
  const keychain = keychainStore();
  const store = (await keychain.probe()).available ? keychain : fileStore();
  const oauth = createOAuthClient({
    serverUrl,
    store,
    interaction: deviceInteraction({
      prompt: ({ verificationUri, userCode }) => {
        console.error(`Open ${verificationUri} and enter ${userCode}`);
      },
    }),
  });
  return oauth.authorize();
}
