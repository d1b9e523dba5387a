import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BridgeLogLevel } from '../bridge/bridge.ts';

/**
 * The bridge's levels, and `prompt`: what the person must do to log in (open a URL, enter a
 * code), which is not a log line: shown even with --silent.
 */
export type ProxyLogLevel = BridgeLogLevel | 'prompt';

export type ProxyLog = (level: ProxyLogLevel, message: string) => void;

/**
 * The bridge's log: lines on stderr (none but prompts with --silent; debug lines only with
 * --debug), and with --debug every line, timestamped, in `file`. Callers never pass a token or
 * a message's content; the file is created owner-only.
 */
export function createProxyLog(options: {
  silent: boolean;
  debug: boolean;
  file: string | undefined;
  stderr?: NodeJS.WritableStream;
}): ProxyLog {
  const stderr = options.stderr ?? process.stderr;
  let file = options.file;
  if (file) {
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    } catch {
      file = undefined;
    }
  }
  return (level, message) => {
    const word = level === 'info' || level === 'prompt' ? '' : `${level}: `;
    const line = `[mcp-oauth proxy ${process.pid}] ${word}${message}\n`;
    if (level === 'prompt' || (!options.silent && (level !== 'debug' || options.debug)))
      stderr.write(line);
    if (file) {
      try {
        appendFileSync(file, `${new Date().toISOString()} ${line}`, { mode: 0o600 });
      } catch {
        file = undefined;
      }
    }
  };
}
