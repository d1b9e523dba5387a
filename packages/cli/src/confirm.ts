import { createInterface } from 'node:readline/promises';
import { usageError } from './exit-codes.ts';

/** Asks a yes/no question on a terminal; without one it never prompts and asks for `--yes`. */
export async function confirm(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY)
    throw usageError(`${question} Not asking without a terminal: pass --yes.`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
