import { fstatSync } from 'node:fs';

/**
 * Whether standard output is a terminal (`process.stdout.isTTY`), asked without making
 * `process.stdout` (and loading node:tty, node:net and node:stream) when it is a pipe or a file.
 */
export function stdoutIsTerminal(): boolean {
  try {
    if (!fstatSync(1).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.stdout.isTTY === true;
}
