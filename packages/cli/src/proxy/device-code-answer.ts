import type { CliAliasRecord } from '../aliases.ts';
import type { BridgeError } from '../bridge/bridge.ts';
import { BRIDGE_ERROR } from '../bridge/messages.ts';
import type { CommandContext } from '../context.ts';
import { formatDuration } from '../format.ts';
import { loginLine } from '../option-flags.ts';
import type { PendingDeviceCode } from './pending-device-code.ts';

/**
 * The answer to a request while a bridge's login waits on a device code: where to enter it, for
 * the host to show the person (hosts rarely show a bridge's stderr), and the login command for
 * a terminal instead.
 */
export function deviceCodeAnswer(
  ctx: CommandContext,
  alias: CliAliasRecord,
  device: PendingDeviceCode,
  now = Date.now(),
): BridgeError {
  const command = loginLine(ctx.target ?? {});
  const complete = device.verificationUriComplete
    ? ` (or open ${device.verificationUriComplete})`
    : '';
  // never "expires in 0s": a code that just expired is replaced at the next request
  const left = formatDuration(Math.max(device.expiresAt - now, 1000));
  return {
    code: BRIDGE_ERROR.loginNeeded,
    message: `To use ${alias.serverUrl}, sign in: open ${device.verificationUri} and enter the code ${device.userCode}${complete}. The code expires in ${left}. The bridge waits for that sign-in: once it is approved, a request goes through within a few seconds. Or log in in a terminal: \`${command}\`.`,
    data: {
      reason: 'device_code',
      verificationUri: device.verificationUri,
      ...(device.verificationUriComplete
        ? { verificationUriComplete: device.verificationUriComplete }
        : {}),
      userCode: device.userCode,
      expiresAt: new Date(device.expiresAt).toISOString(),
      command,
    },
  };
}
