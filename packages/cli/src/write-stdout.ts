import { writeSync } from 'node:fs';

let direct = true;

/**
 * Writes text to standard output: straight to file descriptor 1 while that works, so a command
 * that prints a line and exits never makes `process.stdout` (a pipe's stream loads node:net and
 * node:stream: milliseconds at every start). Once a write cannot complete at once (a
 * non-blocking pipe that is full, a closed pipe, ...), this and every later write go through
 * `process.stdout`, in order, and it reports the error as it always has.
 */
export function writeStdout(text: string): void {
  let rest = Buffer.from(text);
  if (direct) {
    try {
      while (rest.length > 0) rest = rest.subarray(writeSync(1, rest));
      return;
    } catch {
      direct = false;
    }
  }
  process.stdout.write(rest);
}
