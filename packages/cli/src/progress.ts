import yoctoSpinner from 'yocto-spinner';
import type { Output } from './output.ts';

/** A spinner on a terminal; a single plain line otherwise (never animation in logs or pipes). */
export interface Progress {
  start(text: string): void;
  /** Prints a line above the spinner. */
  note(line: string): void;
  succeed(text: string): void;
  fail(text?: string): void;
  stop(): void;
}

export function createProgress(out: Output, options: { quiet: boolean }): Progress {
  const animate = out.stderr.isTTY === true && !options.quiet && process.env.TERM !== 'dumb';
  let spinner: ReturnType<typeof yoctoSpinner> | undefined;
  let text = '';
  return {
    start(next) {
      text = next;
      if (!animate) {
        out.info(`${next}…`);
        return;
      }
      spinner?.stop();
      spinner = yoctoSpinner({ text: next, stream: out.stderr }).start();
    },
    note(line) {
      if (spinner) {
        spinner.clear();
        out.stderr.write(`${line}\n`);
        spinner.start(text);
      } else {
        out.stderr.write(`${line}\n`);
      }
    },
    succeed(done) {
      if (spinner) spinner.success(done);
      else out.info(done);
      spinner = undefined;
    },
    fail(why) {
      if (spinner) spinner.error(why ?? text);
      spinner = undefined;
    },
    stop() {
      spinner?.stop();
      spinner = undefined;
    },
  };
}
