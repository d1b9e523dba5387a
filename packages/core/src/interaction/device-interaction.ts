import { pollDeviceToken, requestDeviceAuthorization } from '../grants/device-code-grant.ts';
import type { DeviceInteraction, DevicePrompt } from './types.ts';

/**
 * The device authorization grant (RFC 8628), for SSH boxes, CI and devices without a
 * browser: `prompt` shows the verification URI and user code; core polls until the
 * person approves on another device.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 *
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   interaction: deviceInteraction({
 *     prompt: ({ verificationUri, userCode }) => console.error(`Open ${verificationUri} and enter ${userCode}`),
 *   }),
 * });
 * await oauth.authorize();
 * ```
 */
export function deviceInteraction(options: {
  prompt: (args: DevicePrompt) => void | Promise<void>;
}): DeviceInteraction {
  return {
    kind: 'device',
    prompt: options.prompt,
    grant: {
      grantType: 'urn:ietf:params:oauth:grant-type:device_code',
      request: requestDeviceAuthorization,
      poll: pollDeviceToken,
    },
  };
}
