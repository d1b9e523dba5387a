import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BridgeLogLevel } from '../bridge/bridge.ts';

export type ProxyLog = (level: BridgeLogLevel, message: string) => void;

/**
 * The bridge's log: lines on stderr (none with --silent; debug lines only with --debug), and
 * with --debug every line, timestamped, in `file`. Callers never pass a token or a message's
 * content; the file is created owner-only.
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
    const line = `[mcp-oauth proxy ${process.pid}] ${level === 'info' ? '' : `${level}: `}${message}\n`;
    if (!options.silent && (level !== 'debug' || options.debug)) stderr.write(line);
    if (file) {
      try {
        appendFileSync(file, `${new Date().toISOString()} ${line}`, { mode: 0o600 });
      } catch {
        file = undefined;
      }
    }
  };
}
