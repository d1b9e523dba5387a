import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { declaredNames, type TestTitle, testTitles } from './declarations.ts';
import {
  identifierSegments,
  looksLikeCodeName,
  type Piece,
  parseRows,
  pieces,
  titleCitations,
} from './parse-rows.ts';

export interface Problem {
  id: string;
  /** `docs/spec-compliance.md:348`: where to fix it. */
  where: string;
  message: string;
}

export interface CheckOptions {
  /** The compliance map. */
  markdownPath: string;
  /** Its text, when not read from `markdownPath` (links still resolve from its folder). */
  markdown?: string;
  /** The repository root: paths in messages are relative to it. */
  root: string;
  /** Folders (relative to root) searched to say where a missing name is declared now. */
  sourceFolders?: string[];
  /**
   * Libraries a row may name functions of, by the word the row uses for them, and the
   * type declarations (relative to root) that declare them: "oauth4webapi `revocationRequest`".
   */
  libraries?: Record<string, string[]>;
  /**
   * Folders (relative to root) of the conformance referees whose `auth/…` scenarios a row may
   * cite. Skipped when none of them is installed.
   */
  referees?: string[];
}

/** The two referees test/conformance pins. */
export const DEFAULT_REFEREES = [
  'test/conformance/node_modules/conformance-0116/dist',
  'test/conformance/node_modules/conformance-next/dist',
];

/** Core's dependencies, and the Web Crypto API. */
export const DEFAULT_LIBRARIES: Record<string, string[]> = {
  oauth4webapi: ['packages/core/node_modules/oauth4webapi/build/index.d.ts'],
  jose: ['packages/core/node_modules/jose/dist/types'],
  crypto: ['node_modules/typescript/lib/lib.dom.d.ts'],
};

const isTestPath = (path: string) => /(^|\/)test\/|\.test\.[cm]?[jt]sx?$/.test(path);
const isCodePath = (path: string) => /\.[cm]?[jt]sx?$/.test(path);

/** Checks every row of the compliance map; returns one problem per stale or missing reference. */
export function checkCompliance(options: CheckOptions): Problem[] {
  const { markdownPath, root } = options;
  const markdown = options.markdown ?? readFileSync(markdownPath, 'utf8');
  const base = dirname(markdownPath);
  const rel = (path: string) => relative(root, path);
  const declarations = cache((path: string) => declaredNames(path, readFileSync(path, 'utf8')));
  const titles = cache((path: string) => testTitles(path, readFileSync(path, 'utf8')));
  const whereDeclared = cache((name: string) =>
    sourceFiles(root, options.sourceFolders ?? ['packages'])
      .filter((file) => declarations(file).has(name))
      .map(rel),
  );
  const hint = (name: string) => {
    const found = whereDeclared(name);
    return found.length > 0
      ? ` It is declared in ${found.slice(0, 3).join(', ')}${found.length > 3 ? ', …' : ''}.`
      : ' No source file declares it now: name what replaced it.';
  };

  // a library's declarations are read only when a row names something of it
  const libraryNames = cache((word: string) => {
    const names = new Set<string>();
    const paths = (options.libraries ?? DEFAULT_LIBRARIES)[word] ?? [];
    for (const path of paths.flatMap((p) => declarationFiles(join(root, p))))
      for (const name of declaredNames(path, readFileSync(path, 'utf8'))) names.add(name);
    return names;
  });
  /** Whether a library the row's text names declares `name`. */
  const libraryOf = (cell: string, name: string) =>
    Object.keys(options.libraries ?? DEFAULT_LIBRARIES).some(
      (word) => cell.includes(word) && libraryNames(word).has(name),
    );

  // the referees' scenario names, read from their bundles: literal `auth/x` names, and names
  // built from a template (`auth/${e.name}` over `name:\`x\``, `auth/token-endpoint-auth-${…}`)
  let bundles = '';
  for (const folder of options.referees ?? DEFAULT_REFEREES) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
      if (file.endsWith('.js')) bundles += readFileSync(join(dir, file), 'utf8');
  }
  const literals = new Set(
    [...bundles.matchAll(/auth\/[a-z0-9-]+(?![a-z0-9-]|\$\{)/g)].map((m) => m[0]),
  );
  const prefixes = [...bundles.matchAll(/auth\/([a-z0-9-]*)\$\{/g)].map((m) => m[1] ?? '');
  const isScenario = (name: string) =>
    literals.has(name) ||
    prefixes.some((prefix) => {
      if (!name.startsWith(`auth/${prefix}`)) return false;
      const rest = name.slice(`auth/${prefix}`.length);
      const quoted = prefix === '' ? `name:\`${rest}\`` : `\`${rest}\``;
      return rest !== '' && bundles.includes(quoted);
    });

  const problems: Problem[] = [];
  const rows = parseRows(markdown);
  const ids = new Set(rows.map((r) => r.id));
  for (const row of rows) {
    const report = (message: string) =>
      problems.push({ id: row.id, where: `${rel(markdownPath)}:${row.line}`, message });
    const resolveLink = (target: string) => resolve(base, decodeURI(target.split('#')[0] ?? ''));
    const isLocal = (target: string) => !/^[a-z]+:|^#/.test(target);

    // every link, in every cell, must point at something that exists
    const cells = { Implementation: row.implementation, Test: row.test };
    for (const [column, cell] of Object.entries(cells))
      for (const piece of pieces(cell))
        if (
          piece.kind === 'link' &&
          isLocal(piece.target) &&
          !existsSync(resolveLink(piece.target))
        )
          report(`${column} links ${piece.target}, which does not exist.`);

    // Implementation: names right after a source link are declared in that file; other
    // function-like names must be declared in one of the row's linked source files
    const sourceLinks: string[] = [];
    let namedPairs = 0;
    const implementation = pieces(row.implementation);
    const named = new Set<Piece>();
    for (let i = 0; i < implementation.length; i++) {
      const piece = implementation[i];
      if (piece?.kind !== 'link' || !isLocal(piece.target)) continue;
      const file = resolveLink(piece.target);
      if (!isCodePath(file) || isTestPath(rel(file)) || !existsSync(file)) continue;
      if (statSync(file).isDirectory()) continue;
      sourceLinks.push(file);
      for (const code of namesAfter(implementation, i)) {
        named.add(code);
        const missing = declaredParts(code.text).filter((s) => !declarations(file).has(s));
        if (missing.length === 0) namedPairs++;
        for (const name of missing)
          report(
            `Implementation names \`${name}\` after ${rel(file)}, which does not declare it.${hint(name)}`,
          );
      }
    }
    for (const piece of implementation) {
      if (piece.kind !== 'code' || named.has(piece) || !looksLikeCodeName(piece.text)) continue;
      const parts = declaredParts(piece.text);
      const key = parts.length > 1 ? parts[parts.length - 1] : parts[0];
      if (!key || sourceLinks.some((file) => declarations(file).has(key))) continue;
      if (libraryOf(row.implementation, key)) continue;
      report(
        `Implementation names \`${key}\` but links no file that declares it.${hint(key)} Link that file before the name.`,
      );
    }

    // Test: every `›` follows a linked test file, and every title cited is a test in it
    let citedTests = 0;
    for (const citation of titleCitations(row.test)) {
      if ('shorthand' in citation.file) {
        report(
          `Test cites "${citation.titles[0] ?? ''}" from \`${citation.file.shorthand}\` without linking the test file: write [path](../path) › "title".`,
        );
        continue;
      }
      const file = resolveLink(citation.file.target);
      if (!existsSync(file) || statSync(file).isDirectory()) continue;
      if (citation.titles.length === 0)
        report(`Test links ${rel(file)} and a › but no quoted test title after it.`);
      for (const title of citation.titles) {
        const missing = title
          .split(' › ')
          .filter((part) => !titles(file).some((t) => titleMatches(part, t)));
        if (missing.length === 0) citedTests++;
        for (const part of missing)
          report(
            `Test cites "${part}" in ${rel(file)}, which has no it/test/describe with that title.${nearest(part, titles(file))}`,
          );
      }
    }
    const testPieces = pieces(row.test);
    for (let i = 0; i < testPieces.length; i++) {
      const piece = testPieces[i];
      if (piece?.kind !== 'link' || !isLocal(piece.target)) continue;
      const file = resolveLink(piece.target);
      if (!/\.test\.[cm]?[jt]sx?$/.test(file)) continue;
      const next = testPieces[i + 1];
      if (!(next?.kind === 'text' && next.text.trimStart().startsWith('›')))
        report(`Test links ${rel(file)} but names no test in it: add › "title".`);
    }
    const conformance = /conformance `auth\/[^`]+`/.test(row.test);
    if (bundles !== '')
      for (const piece of pieces(row.test))
        if (piece.kind === 'code' && /^auth\/[\w-]+$/.test(piece.text) && !isScenario(piece.text))
          report(
            `Test cites the conformance scenario \`${piece.text}\`, which no pinned referee has (${(options.referees ?? DEFAULT_REFEREES).join(', ')}).`,
          );

    // what each status needs
    const status = row.status.trim();
    if (status.startsWith('➖')) continue;
    const needsTest = status.startsWith('✅');
    const needsSource = status.startsWith('✅') || status.startsWith('🟡');
    // "As MCP-SCOPE-8": the implementation is that row's, which is checked on its own
    const same = /^As ([A-Z0-9]+(?:-[A-Z0-9]+)+)\b/.exec(row.implementation)?.[1];
    if (same && !ids.has(same)) report(`Implementation says "As ${same}", but no row has that ID.`);
    if (needsSource && namedPairs === 0 && !same)
      report(
        'Implementation has no source file link followed by a function it declares: write [file](../packages/…) `function`.',
      );
    const sameTest = /^As ([A-Z0-9]+(?:-[A-Z0-9]+)+)\b/.exec(row.test)?.[1];
    if (sameTest && !ids.has(sameTest))
      report(`Test says "As ${sameTest}", but no row has that ID.`);
    if (needsTest && citedTests === 0 && !conformance && !sameTest)
      report('Test cites no test: link a test file and name a test in it (› "title").');
  }
  return problems;
}

/**
 * The parts of a dotted name that a file declares: all of `TokensRecord.dpopJkt`, but not the
 * variable in `session.authorize` or `ctx.randomString()` (a one-word lowercase receiver).
 */
function declaredParts(code: string): string[] {
  const segments = identifierSegments(code) ?? [];
  return segments.length > 1 && /^[a-z][a-z0-9]*$/.test(segments[0] ?? '')
    ? segments.slice(1)
    : segments;
}

/** The code spans right after link `i`: `a`, `b` and `c` (separated by commas, "and", "/", "→"). */
function namesAfter(all: Piece[], i: number): Piece[] {
  const names: Piece[] = [];
  for (let j = i + 1; j < all.length; j++) {
    const piece = all[j];
    if (!piece) break;
    if (piece.kind === 'text') {
      if (/^\s*(,|and|or)?\s*$/.test(piece.text) && j + 1 < all.length) continue;
      break;
    }
    // an error code (`state_mismatch`) is a value, not a declaration: skip it
    if (piece.kind === 'code' && /^[a-z0-9]+(_[a-z0-9]+)+$/.test(piece.text)) continue;
    if (piece.kind === 'code' && identifierSegments(piece.text)) names.push(piece);
    else break;
  }
  return names;
}

/**
 * A cited title matches a test title. `…` in the cited title stands for any text, as does a
 * `${…}` substitution in a template-literal title; a title matches when some text fits both.
 */
export function titleMatches(cited: string, test: TestTitle): boolean {
  return globsMeet(cited.replaceAll('…', WILD), test.glob);
}

const WILD = '\u0000';

/** Whether some string matches both patterns, where WILD matches any text. */
function globsMeet(a: string, b: string): boolean {
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop() as [number, number];
    const key = i * (b.length + 1) + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    if (x === WILD) {
      stack.push([i + 1, j]);
      if (j < b.length) stack.push([i, j + 1]);
    }
    if (y === WILD) {
      stack.push([i, j + 1]);
      if (i < a.length) stack.push([i + 1, j]);
    }
    if (x !== undefined && x === y && x !== WILD) stack.push([i + 1, j + 1]);
  }
  return false;
}

function nearest(cited: string, titles: TestTitle[]): string {
  const words = new Set(
    cited
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => w.length > 3),
  );
  let best: { title: string; score: number } | undefined;
  for (const t of titles) {
    const score = t.text
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => words.has(w)).length;
    if (score > (best?.score ?? 1)) best = { title: t.text, score };
  }
  return best ? ` Closest title there: "${best.title}".` : '';
}

function cache<T>(compute: (key: string) => T): (key: string) => T {
  const map = new Map<string, T>();
  return (key) => {
    if (!map.has(key)) map.set(key, compute(key));
    return map.get(key) as T;
  };
}

/** A .d.ts file, or every .d.ts file under a folder. */
function declarationFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.d.ts'))
    .map((f) => join(path, f));
}

const sourceFileLists = new Map<string, string[]>();
/** Every .ts file under `<folder>/*\/src`, for the "declared in" hint. */
function sourceFiles(root: string, folders: string[]): string[] {
  const key = `${root}\u0000${folders.join()}`;
  const known = sourceFileLists.get(key);
  if (known) return known;
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) files.push(path);
    }
  };
  for (const folder of folders) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const pkg of readdirSync(dir)) {
      const src = join(dir, pkg, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  sourceFileLists.set(key, files);
  return files;
}
