import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompliance } from '../src/check.ts';
import { parseRows } from '../src/parse-rows.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const markdownPath = join(root, 'docs', 'spec-compliance.md');

describe('docs/spec-compliance.md', () => {
  it('has requirement rows to check', () => {
    expect(parseRows(readFileSync(markdownPath, 'utf8')).length).toBeGreaterThan(150);
  });

  it('every row links a source file that declares what it names, and a test file that holds the tests it cites', () => {
    const problems = checkCompliance({ markdownPath, root });
    const lines = problems.map((p) => `${p.where} ${p.id}: ${p.message}`);
    expect(lines, `${lines.length} stale reference(s):\n${lines.join('\n')}`).toEqual([]);
  });
});
