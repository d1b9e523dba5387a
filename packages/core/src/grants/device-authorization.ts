/**
 * A device authorization in progress (RFC 8628 §3.2), as the flow keeps it.
 *
 * @example
 * ```ts
 * import type { DeviceAuthorization } from '@mcp-oauth/core/device';
 * import type { AwaitingDeviceState } from '@mcp-oauth/core/flow';
 *
 * declare const waiting: AwaitingDeviceState;
 * const device: DeviceAuthorization = waiting.device;
 * console.error(`Enter ${device.userCode} at ${device.verificationUri}; polling every ${device.intervalMs / 1000} s`);
 * ```
 */
export interface DeviceAuthorization {
  /** `device_code`: the secret the token endpoint is polled with. */
  deviceCode: string;
  /** `user_code`: the code the person enters (never blank, no control characters). */
  userCode: string;
  /** `verification_uri`: where the person enters it; an https URL (http only where `allowInsecureHttp` allows), as the URL parser serialises it. */
  verificationUri: string;
  /** `verification_uri_complete`: the URI with the code in it, when the server gave one that passes the same check (else left out). */
  verificationUriComplete?: string;
  /** When the device code expires, epoch ms. */
  expiresAt: number;
  /** The polling interval the server asked for (`interval`, RFC 8628 §3.2), in ms; 5 s when it named none. */
  intervalMs: number;
}
