import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_CODE_MEANINGS, EXIT_CODES_HELP } from '../src/exit-codes.ts';

/** The README's exit-code table is the code's table. */
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function readmeExitCodes(): { code: number; meaning: string }[] {
  const lines = README.split('\n');
  const header = lines.findIndex((line) => /^\|\s*code\s*\|\s*meaning\s*\|$/.test(line));
  expect(header, 'the README has a "| code | meaning |" table').toBeGreaterThan(0);
  const rows: { code: number; meaning: string }[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [code, meaning] = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    rows.push({ code: Number(code), meaning: meaning ?? '' });
  }
  return rows;
}

describe('exit codes in the README', () => {
  it('are EXIT_CODE_MEANINGS, row for row', () => {
    expect(readmeExitCodes()).toEqual(EXIT_CODE_MEANINGS);
  });

  it('cover every code of EXIT, once, and --help shows each', () => {
    expect(EXIT_CODE_MEANINGS.map((m) => m.code).sort((a, b) => a - b)).toEqual(
      Object.values(EXIT).sort((a, b) => a - b),
    );
    for (const { code } of EXIT_CODE_MEANINGS)
      expect(EXIT_CODES_HELP).toMatch(new RegExp(`^ {2}${code} +\\S`, 'm'));
  });
});
