import type { DeviceInteraction } from '@mcp-oauth/core';
import { deviceInteraction as coreDeviceInteraction } from '@mcp-oauth/core/device';
import { printable } from '@mcp-oauth/internal';
import { renderUnicodeCompact } from 'uqr';
import { formatDuration } from '../format.ts';
import type { Output } from '../output.ts';
import type { Progress } from '../progress.ts';

/**
 * The device flow (RFC 8628): shows the verification URL and the user code plainly on
 * stderr (a QR code too on a terminal), then a spinner while core polls. Core refuses
 * unprintable characters in them; they are replaced here too before any is written.
 */
export function deviceInteraction(
  out: Output,
  progress: Progress,
  options: {
    qr: boolean;
    onCode?: (code: {
      verificationUri: string;
      verificationUriComplete?: string;
      userCode: string;
      expiresAt: number;
    }) => void;
  },
): DeviceInteraction {
  return coreDeviceInteraction({
    prompt(shown) {
      // core has checked them; what reaches a terminal is made printable here as well
      const args = {
        ...shown,
        verificationUri: printable(shown.verificationUri),
        userCode: printable(shown.userCode),
        ...(shown.verificationUriComplete
          ? { verificationUriComplete: printable(shown.verificationUriComplete) }
          : {}),
      };
      const { style } = out;
      const lines = [
        '',
        `To sign in, open ${style.bold(style.cyan(args.verificationUri))}`,
        `and enter the code: ${style.bold(args.userCode)}`,
      ];
      if (args.verificationUriComplete) lines.push(`(or open ${args.verificationUriComplete})`);
      if (options.qr && out.stderr.isTTY) {
        lines.push(
          '',
          renderUnicodeCompact(args.verificationUriComplete ?? args.verificationUri, { border: 1 }),
        );
      }
      lines.push('');
      out.stderr.write(`${lines.join('\n')}\n`);
      options.onCode?.(args);
      progress.start(
        `Waiting for approval (the code expires in ${formatDuration(args.expiresAt - Date.now())})`,
      );
    },
  });
}
