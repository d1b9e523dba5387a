import { describe, expect, it } from 'vitest';
import { browserCommands, splitCommandLine } from '../src/browser-command.ts';

describe('splitCommandLine', () => {
  it('splits words and honours quotes and backslashes', () => {
    expect(splitCommandLine('my-browser --new-window')).toEqual(['my-browser', '--new-window']);
    expect(splitCommandLine(`'/opt/My Browser/run' "--profile=a b" c\\ d`)).toEqual([
      '/opt/My Browser/run',
      '--profile=a b',
      'c d',
    ]);
    expect(splitCommandLine(`"a \\"q\\" \\$x" ''`)).toEqual(['a "q" $x', '']);
  });

  it('keeps shell syntax literal', () => {
    expect(splitCommandLine('b $(touch /tmp/x); `id` | cat')).toEqual([
      'b',
      '$(touch',
      '/tmp/x);',
      '`id`',
      '|',
      'cat',
    ]);
  });

  it('rejects an unterminated quote', () => {
    expect(() => splitCommandLine('"open')).toThrow(
      expect.objectContaining({ code: 'invalid_configuration' }),
    );
  });
});

describe('browserCommands', () => {
  const url = 'https://as.example/authorize?a=1&b=$&c=%s';

  it('appends the URL as one argument when there is no %s', () => {
    expect(browserCommands('firefox --new-window', url)).toEqual([
      ['firefox', '--new-window', url],
    ]);
  });

  it('replaces %s (also inside an argument) without re-interpreting the URL', () => {
    expect(browserCommands('chromium --app=%s', url)).toEqual([['chromium', `--app=${url}`]]);
  });

  it('reads a list separated by the path delimiter', () => {
    expect(browserCommands('first:second %s', url)).toEqual([
      ['first', url],
      ['second', url],
    ]);
  });
});
