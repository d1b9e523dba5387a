import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompliance } from '../src/check.ts';
import { parseRows, titleCitations } from '../src/parse-rows.ts';

const root = join(import.meta.dirname, '..', 'fixture');
const markdownPath = join(root, 'docs', 'map.md');
const header =
  '| ID | Level | Requirement | Implementation | Test | Status |\n|---|---|---|---|---|---|\n';
const SRC = '[src/greet.ts](../src/greet.ts)';
const TEST = '[test/greet.test.ts](../test/greet.test.ts)';

/** The problems of a one-row map. */
const check = (implementation: string, test: string, status = '✅ tested') =>
  checkCompliance({
    markdownPath,
    root,
    sourceFolders: [],
    libraries: {},
    referees: ['referee'],
    markdown: `${header}| R-1 | MUST | Greet. | ${implementation} | ${test} | ${status} |\n`,
  }).map((p) => `${p.where} ${p.id}: ${p.message}`);

describe('checkCompliance', () => {
  it('accepts a row whose links, names and test titles all exist', () => {
    expect(
      check(
        `${SRC} \`greet\`, \`greetEveryone\``,
        `${TEST} › "greet › says hello to \\"you\\" by name"`,
      ),
    ).toEqual([]);
  });

  it('reports a link to a file that is gone, with the line of the row', () => {
    expect(check(`[src/gone.ts](../src/gone.ts) \`greet\``, `${TEST} › "greet"`)).toEqual([
      'docs/map.md:3 R-1: Implementation links ../src/gone.ts, which does not exist.',
      'docs/map.md:3 R-1: Implementation has no source file link followed by a function it declares: write [file](../packages/…) `function`.',
    ]);
  });

  it('reports a renamed function, even when a comment still mentions the old name', () => {
    expect(check(`${SRC} \`greetAll\``, `${TEST} › "greet"`)).toEqual([
      'docs/map.md:3 R-1: Implementation names `greetAll` after src/greet.ts, which does not declare it. No source file declares it now: name what replaced it.',
      'docs/map.md:3 R-1: Implementation has no source file link followed by a function it declares: write [file](../packages/…) `function`.',
    ]);
  });

  it('reports a renamed test and suggests the closest title', () => {
    expect(check(`${SRC} \`greet\``, `${TEST} › "says hello by name"`)).toEqual([
      'docs/map.md:3 R-1: Test cites "says hello by name" in test/greet.test.ts, which has no it/test/describe with that title. Closest title there: "says hello to "you" by name".',
      'docs/map.md:3 R-1: Test cites no test: link a test file and name a test in it (› "title").',
    ]);
  });

  it('reports a row without a source link or without a test link', () => {
    expect(check('`greet` does it', `${TEST} › "greet"`)).toEqual([
      'docs/map.md:3 R-1: Implementation has no source file link followed by a function it declares: write [file](../packages/…) `function`.',
    ]);
    expect(check(`${SRC} \`greet\``, 'tested somewhere')).toEqual([
      'docs/map.md:3 R-1: Test cites no test: link a test file and name a test in it (› "title").',
    ]);
  });

  it('reports a test cited by a short name instead of a link, and a link with no title', () => {
    expect(check(`${SRC} \`greet\``, `greet.test › "greet"; ${TEST}`)).toEqual([
      'docs/map.md:3 R-1: Test cites "greet" from `greet.test` without linking the test file: write [path](../path) › "title".',
      'docs/map.md:3 R-1: Test links test/greet.test.ts but names no test in it: add › "title".',
      'docs/map.md:3 R-1: Test cites no test: link a test file and name a test in it (› "title").',
    ]);
  });

  it('reports a function-like name in prose that no linked file declares', () => {
    expect(check(`${SRC} \`greet\`, called by \`sayHello()\``, `${TEST} › "greet"`)).toEqual([
      'docs/map.md:3 R-1: Implementation names `sayHello` but links no file that declares it. No source file declares it now: name what replaced it. Link that file before the name.',
    ]);
  });

  it('matches `…` in a cited title, and template-literal titles, as any text', () => {
    expect(
      check(`${SRC} \`Greeting.text\``, `${TEST} › "says hello…", "greets two person…"`),
    ).toEqual([]);
  });

  it('needs nothing from a not-applicable row, and lets "As <ID>" point at another row', () => {
    expect(check('—', '—', '➖ server side')).toEqual([]);
    expect(check('As R-1', 'As R-1')).toEqual([]);
    expect(check('As R-9', 'As R-9')).toEqual([
      'docs/map.md:3 R-1: Implementation says "As R-9", but no row has that ID.',
      'docs/map.md:3 R-1: Test says "As R-9", but no row has that ID.',
    ]);
  });
});

describe('conformance scenarios', () => {
  it('accepts a scenario the referee has and reports one it does not', () => {
    expect(check(`${SRC} \`greet\``, 'conformance `auth/basic-flow`')).toEqual([]);
    expect(check(`${SRC} \`greet\``, 'conformance `auth/renamed-flow`')).toEqual([
      'docs/map.md:3 R-1: Test cites the conformance scenario `auth/renamed-flow`, which no pinned referee has (referee).',
    ]);
  });
});

describe('parseRows', () => {
  it('reads only tables with Implementation, Test and Status columns, with `|` inside code', () => {
    const rows = parseRows(
      `| ID | Source |\n|---|---|\n| X-1 | §2 |\n\n${header}| R-1 | MUST | a | \`a | b\` | t | ✅ |\n`,
    );
    expect(rows).toEqual([
      { id: 'R-1', line: 7, implementation: '`a | b`', test: 't', status: '✅' },
    ]);
  });

  it('reads the titles after each ›, skipping remarks in parentheses', () => {
    expect(titleCitations(`${TEST} › "a", "b" (asserts c) and "d \\"e\\""; x.test › "f"`)).toEqual([
      { file: { target: '../test/greet.test.ts' }, titles: ['a', 'b', 'd "e"'] },
      { file: { shorthand: 'x.test' }, titles: ['f'] },
    ]);
  });
});
