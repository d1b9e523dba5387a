import { describe, expect, it } from 'vitest';
import { printable, UNPRINTABLE } from '../src/unprintable.ts';

describe('unprintable characters', () => {
  it.each([
    ['ESC (a terminal escape sequence)', '\u001b]8;;https://evil.example\u0007x'],
    ['CR', 'ABCD\rEFGH'],
    ['a newline', 'ABCD\nEFGH'],
    ['a tab', 'ABCD\tEFGH'],
    ['NUL', 'AB\u0000CD'],
    ['DEL', 'AB\u007fCD'],
    ['a C1 control (CSI)', 'AB\u009b2JCD'],
    ['a right-to-left override', 'AB\u202eDC'],
    ['a zero-width space', 'AB\u200bCD'],
    ['a line separator', 'AB\u2028CD'],
  ])('finds %s and replaces every one', (_what, text) => {
    expect(UNPRINTABLE.test(text)).toBe(true);
    const shown = printable(text);
    expect(UNPRINTABLE.test(shown)).toBe(false);
    expect(shown).toContain('\uFFFD');
  });

  it('keeps printable text as it is, non-ASCII letters and spaces included', () => {
    for (const text of ['WDJB-MJHT', 'https://as.example/device?x=1', 'Zürich 東京 code']) {
      expect(UNPRINTABLE.test(text)).toBe(false);
      expect(printable(text)).toBe(text);
    }
  });
});
