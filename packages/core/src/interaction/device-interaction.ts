import { pollDeviceToken, requestDeviceAuthorization } from '../grants/device-code-grant.ts';
import type { DeviceInteraction, DevicePrompt } from './types.ts';

/**
 * The device authorization grant (RFC 8628), for SSH boxes, CI and devices without a
 * browser: `prompt` shows the verification URI and user code; core polls until the
 * person approves on another device.
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
