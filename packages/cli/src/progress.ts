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

/**
 * `options.ownInterrupt`: the command handles Ctrl-C itself (says why, ends what it started): the
 * spinner then only stops on it (the cursor shown again), and does not end the process as it
 * otherwise does, with exit 130.
 */
export function createProgress(
  out: Output,
  options: { quiet: boolean; ownInterrupt?: boolean },
): Progress {
  const animate = out.stderr.isTTY === true && !options.quiet && process.env.TERM !== 'dumb';
  let spinner: ReturnType<typeof yoctoSpinner> | undefined;
  let text = '';
  const onInterrupt = () => {
    spinner?.stop();
    spinner = undefined;
    if (!options.ownInterrupt) process.exit(130);
  };
  const watching = (on: boolean) => {
    process.off('SIGINT', onInterrupt);
    if (on) process.once('SIGINT', onInterrupt);
  };
  return {
    start(next) {
      text = next;
      if (!animate) {
        out.info(`${next}…`);
        return;
      }
      spinner?.stop();
      // the spinner's own Ctrl-C handler would end the process before the command could say why
      spinner = yoctoSpinner({ text: next, stream: out.stderr, handleSignals: false }).start();
      watching(true);
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
      watching(false);
    },
    fail(why) {
      if (spinner) spinner.error(why ?? text);
      spinner = undefined;
      watching(false);
    },
    stop() {
      spinner?.stop();
      spinner = undefined;
      watching(false);
    },
  };
}
