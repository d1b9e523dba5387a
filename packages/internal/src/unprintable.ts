/**
 * Characters a person cannot see or type, which a terminal or a page may act on instead of
 * showing: C0 and C1 controls (ESC starts terminal escape sequences, CR and BS overwrite what
 * was shown), DEL, format characters (bidirectional overrides, zero-width characters) and the
 * Unicode line and paragraph separators. No OAuth value meant for a person contains one.
 */
export const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

const EVERY_UNPRINTABLE = new RegExp(UNPRINTABLE.source, 'gu');

/**
 * `text` fit to write to a terminal or a log: every unprintable character (`UNPRINTABLE`)
 * replaced by U+FFFD, so that a server-supplied value cannot move the cursor, recolour or
 * rewrite what was shown before it.
 */
export function printable(text: string): string {
  return text.replace(EVERY_UNPRINTABLE, '\uFFFD');
}
