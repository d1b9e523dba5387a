/**
 * Reads the requirement rows of docs/spec-compliance.md: every table whose header has an
 * `ID`, an `Implementation`, a `Test` and a `Status` column.
 */

export interface Row {
  id: string;
  /** 1-based line of the row in the markdown file. */
  line: number;
  implementation: string;
  test: string;
  status: string;
}

/** A piece of a cell: a markdown link, an inline code span, or plain text. */
export type Piece =
  | { kind: 'link'; text: string; target: string }
  | { kind: 'code'; text: string }
  | { kind: 'text'; text: string };

/** Splits a table line into cells on `|` outside code spans (and not escaped as `\|`). */
export function splitCells(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let inCode = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && line[i + 1] === '|') {
      current += '|';
      i++;
    } else if (c === '`') {
      inCode = !inCode;
      current += c;
    } else if (c === '|' && !inCode) {
      cells.push(current.trim());
      current = '';
    } else current += c;
  }
  cells.push(current.trim());
  // a table line starts and ends with `|`: drop the empty first and last cells
  return cells.slice(1, -1);
}

export function parseRows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const rows: Row[] = [];
  let columns: Record<string, number> | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.startsWith('|')) {
      columns = undefined;
      continue;
    }
    const cells = splitCells(line);
    if (cells[0] === 'ID') {
      const at = (name: string) => cells.indexOf(name);
      columns =
        at('Implementation') >= 0 && at('Test') >= 0 && at('Status') >= 0
          ? { implementation: at('Implementation'), test: at('Test'), status: at('Status') }
          : undefined;
      continue;
    }
    if (!columns || /^-+$/.test(cells[0] ?? '')) continue;
    rows.push({
      id: cells[0] ?? '',
      line: i + 1,
      implementation: cells[columns.implementation ?? -1] ?? '',
      test: cells[columns.test ?? -1] ?? '',
      status: cells[columns.status ?? -1] ?? '',
    });
  }
  return rows;
}

/** Cuts a cell into links, code spans and text, in order. */
export function pieces(cell: string): Piece[] {
  const out: Piece[] = [];
  const re = /\[([^\]]*)\]\(([^)\s]+)\)|`([^`]*)`/g;
  let last = 0;
  for (let m = re.exec(cell); m; m = re.exec(cell)) {
    if (m.index > last) out.push({ kind: 'text', text: cell.slice(last, m.index) });
    if (m[3] !== undefined) out.push({ kind: 'code', text: m[3] });
    else out.push({ kind: 'link', text: m[1] ?? '', target: m[2] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < cell.length) out.push({ kind: 'text', text: cell.slice(last) });
  return out;
}

/**
 * An identifier in a code span: `name`, `name()`, `a.b.c`, `a.b(x)`. Returns its segments,
 * or undefined when the span is not an identifier (`Authorization: DPoP`, `S256 only`).
 */
export function identifierSegments(code: string): string[] | undefined {
  const m = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$#][\w$]*)*)(?:\(.*\))?$/s.exec(code.trim());
  const segments = m?.[1]?.split('.').map((s) => s.replace(/^#/, ''));
  // `$(…)` is shell, not a name
  return segments?.every((s) => /[A-Za-z]/.test(s)) ? segments : undefined;
}

/** A name that reads as a function or variable of ours: `lowerCamel`, or written as a call. */
export function looksLikeCodeName(code: string): boolean {
  const segments = identifierSegments(code);
  if (!segments) return false;
  if (/\(.*\)$/s.test(code.trim())) return true;
  return segments.some((s) => /^[a-z][a-z0-9]*[A-Z]/.test(s));
}

/** A test citation: the quoted titles that follow a `›` after a test file link. */
export interface TitleCitation {
  /** Where the titles come from: the link target, or the shorthand text written instead. */
  file: { target: string } | { shorthand: string };
  titles: string[];
}

/**
 * Reads the titles cited in a Test cell. Each `›` is followed by one or more quoted titles
 * (separated by commas, `and`, or a parenthesised remark); the titles belong to the test file
 * linked just before the `›`. A `›` after plain words instead of a link is a shorthand.
 */
export function titleCitations(cell: string): TitleCitation[] {
  const citations: TitleCitation[] = [];
  // the cell as one string, each link replaced by \u0001 (its target kept in order)
  const targets: string[] = [];
  const flat = pieces(cell)
    .map((q) => {
      if (q.kind === 'link') {
        targets.push(q.target);
        return '\u0001';
      }
      return q.kind === 'code' ? `\`${q.text}\`` : q.text;
    })
    .join('');
  let from = 0;
  for (let at = flat.indexOf('›', from); at >= 0; at = flat.indexOf('›', from)) {
    const before = flat.slice(0, at).trimEnd();
    let file: TitleCitation['file'];
    if (before.endsWith('\u0001')) {
      const index = [...before].filter((c) => c === '\u0001').length - 1;
      file = { target: targets[index] ?? '' };
    } else {
      const words = /((?:[\w.()-]+ ){0,2}[\w.()-]+)$/.exec(before)?.[1];
      file = { shorthand: words ?? (before.slice(-30) || '(nothing)') };
    }
    const { titles, end } = readTitles(flat, at + 1);
    citations.push({ file, titles });
    from = Math.max(end, at + 1);
  }
  return citations;
}

/** Reads the quoted titles that start at `start`, and where they end. */
function readTitles(text: string, start: number): { titles: string[]; end: number } {
  const titles: string[] = [];
  let i = start;
  const skipSeparators = () => {
    for (;;) {
      const before = i;
      while (i < text.length && /[\s,]/.test(text[i] ?? '')) i++;
      if (text.startsWith('and ', i)) i += 4;
      if (text[i] === '(') {
        let depth = 0;
        for (; i < text.length; i++) {
          if (text[i] === '(') depth++;
          if (text[i] === ')' && --depth === 0) {
            i++;
            break;
          }
        }
      }
      if (i === before) return;
    }
  };
  for (;;) {
    skipSeparators();
    if (text[i] !== '"') return { titles, end: i };
    // a `"` inside a title is written `\"` (markdown shows it as `"`)
    let end = i + 1;
    while (end < text.length && !(text[end] === '"' && text[end - 1] !== '\\')) end++;
    if (end >= text.length) return { titles, end: i };
    titles.push(text.slice(i + 1, end).replaceAll('\\"', '"'));
    i = end + 1;
  }
}
