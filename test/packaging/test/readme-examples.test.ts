// Every ```ts block of every README compiles under the project's strict settings, against
// the built packages (their published types). A block that is a fragment gets what it needs
// from a hidden prelude: an HTML comment `<!-- prelude ... -->` just above its fence.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Diagnostic,
  type Example,
  generateExamples,
  typecheckExamples,
} from '../src/readme-examples.ts';

const examples: Example[] = generateExamples();
let diagnostics: Diagnostic[] = [];

beforeAll(() => {
  diagnostics = typecheckExamples();
}, 180_000);

it('finds the README code blocks', () => {
  expect(examples.length).toBeGreaterThan(10);
  expect(examples.map((e) => e.readme)).toContain('packages/core/README.md');
});

describe.each(examples.map((e) => [`${e.readme}:${e.line}`, e] as const))('%s', (_, example) => {
  it('compiles', () => {
    const errors = diagnostics
      .filter((d) => d.file.endsWith(example.file))
      .map((d) => {
        const at =
          d.line > example.offset
            ? `${example.readme}:${example.line + d.line - example.offset - 1}`
            : `prelude line ${d.line}`;
        return `${at}: ${d.message}`;
      });
    expect(errors).toEqual([]);
  });
});
