// The device authorization grant (RFC 8628), for SSH boxes, CI and devices without a browser.

export type { DeviceAuthorization } from './grants/device-authorization.ts';
export { deviceInteraction } from './interaction/device-interaction.ts';
export type { DeviceInteraction, DevicePrompt } from './interaction/types.ts';
