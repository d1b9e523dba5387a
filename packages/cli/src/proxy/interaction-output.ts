import { Writable } from 'node:stream';
import { makeStyle, type Output } from '../output.ts';
import type { ProxyLog } from './logger.ts';

/**
 * The output of the logins a bridge runs (browser, device flow), every line through the bridge's
 * log: with its `[mcp-oauth proxy PID]` prefix on stderr, and in the --debug log file. Progress
 * ("Waiting for you to approve…") is a log line (--silent hides it); what the person must do (the
 * URL to open, the device code) is a prompt, shown even with --silent. Never a spinner, a QR code
 * or colors: the lines are a log's, read in a host's log window or a file.
 */
export function interactionOutput(out: Output, log: ProxyLog): Output {
  const stderr = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n'))
          if (line.trim() !== '') log('prompt', line.trimEnd());
        done();
      },
    }),
    { isTTY: false },
  );
  const plain = makeStyle(false);
  return {
    ...out,
    info: (line) => log('info', line),
    warn: (line) => log('warn', line),
    error: (line) => log('error', line),
    style: plain,
    dataStyle: plain,
    stderr,
  };
}
