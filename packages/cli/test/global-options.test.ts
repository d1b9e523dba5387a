import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GLOBAL_OPTIONS, parsePlainCommandLine } from '../src/global-options.ts';

const own = { json: { type: 'boolean' } } as const;

describe('parsePlainCommandLine', () => {
  it('answers a command line of positionals only as util.parseArgs does', () => {
    for (const args of [['token', 'notion'], ['list'], ['show', '-'], []]) {
      const { values, positionals } = parseArgs({
        args,
        strict: true,
        allowPositionals: true,
        options: { ...GLOBAL_OPTIONS, ...own },
      });
      expect(parsePlainCommandLine(args, own)).toStrictEqual({ values, positionals });
    }
  });

  it('parses options with util.parseArgs, and declines what the program must answer', () => {
    expect(parsePlainCommandLine(['token', 'notion', '--json', '-q'], own)).toEqual({
      values: { json: true, quiet: true },
      positionals: ['token', 'notion'],
    });
    expect(parsePlainCommandLine(['--dir', '/d', 'list'], own)?.values).toEqual({ dir: '/d' });
    expect(parsePlainCommandLine(['--json', 'token', 'notion'], own)).toBeUndefined();
    expect(parsePlainCommandLine(['token', 'notion', '--bogus'], own)).toBeUndefined();
    expect(parsePlainCommandLine(['token', '--', 'notion'], own)).toBeUndefined();
  });
});
