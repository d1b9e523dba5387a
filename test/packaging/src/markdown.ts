/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The fence's language (`ts`, `sh`, ...), lower case; '' when none. */
  lang: string;
  code: string;
  /** 1-based line of the first line of code (after the opening fence). */
  line: number;
  /**
   * Code type-checked with the block but not shown: the text of an HTML comment
   * `<!-- prelude ... -->` on the lines just above the opening fence.
   */
  prelude: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/;
const PRELUDE_START = /^\s*<!--\s*prelude\b/;

/** The prelude comment whose closing `-->` is the line just above the fence at `fence`. */
function preludeAbove(lines: string[], fence: number): string {
  if ((lines[fence - 1] ?? '').trim() !== '-->') return '';
  for (let start = fence - 2; start >= 0; start--) {
    const text = lines[start] ?? '';
    if (PRELUDE_START.test(text)) return lines.slice(start + 1, fence - 1).join('\n');
    if (text.includes('-->') || text.includes('```')) return '';
  }
  return '';
}

/** The fenced code blocks of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) end++;
    const body = lines
      .slice(i + 1, end)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    blocks.push({
      lang: lang.toLowerCase(),
      code: body.join('\n'),
      line: i + 2,
      prelude: preludeAbove(lines, i),
    });
    i = end;
  }
  return blocks;
}

/** Link targets of a Markdown text (inline links, images, reference definitions, HTML src/href). */
export function linkTargets(markdown: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  const lines = markdown.split('\n');
  let inFence = false;
  lines.forEach((text, index) => {
    if (/^\s*(`{3,}|~{3,})/.test(text)) inFence = !inFence;
    if (inFence) return;
    const plain = text.replace(/`[^`]*`/g, '');
    const patterns = [
      /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
      /^\s*\[[^\]]+\]:\s*(\S+)/g,
      /\b(?:src|href)="([^"]+)"/g,
    ];
    for (const pattern of patterns)
      for (const match of plain.matchAll(pattern))
        if (match[1]) found.push({ target: match[1], line: index + 1 });
  });
  return found;
}

/** Whether a link leaves the document's folder tree: not a URL, not a fragment of this page. */
export function isRelativeLink(target: string): boolean {
  return (
    !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#') && !target.startsWith('//')
  );
}
