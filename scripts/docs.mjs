// `npm run docs`: builds the API reference (TypeDoc, every published package) into docs/api,
// with warnings as errors, then checks that every public export carries an `@example`.
// Exits non-zero on any warning or missing example, naming each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './lib/pnpm.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'mcp-oauth-docs-'));
const json = join(scratch, 'api.json');
const typedoc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typedoc/bin/typedoc'), '--json', json],
  { cwd: root, stdio: 'inherit' },
);
if (typedoc.status !== 0) {
  rmSync(scratch, { recursive: true, force: true });
  console.error('docs: TypeDoc reported errors or warnings (see above).');
  process.exit(1);
}

// Reflection kinds (TypeDoc's ReflectionKind) that are public exports of an entry point.
const KINDS = new Map([
  [64, 'function'],
  [128, 'class'],
  [256, 'interface'],
  [2097152, 'type'],
  [32, 'variable'],
]);

const hasExample = (comment) => comment?.blockTags?.some((tag) => tag.tag === '@example') === true;

/** The comment that documents a reflection: its own, or its first signature's. */
const commentOf = (reflection) => reflection.comment ?? reflection.signatures?.[0]?.comment;

const missing = [];
const walk = (reflection, path) => {
  for (const child of reflection.children ?? []) {
    const kind = KINDS.get(child.kind);
    const name = [...path, child.name].join('/');
    // Modules (1) and packages/entry points (2) group exports: descend.
    if (child.kind === 1 || child.kind === 2) walk(child, [...path, child.name]);
    else if (kind && !hasExample(commentOf(child))) missing.push(`${name} (${kind})`);
  }
};
walk(JSON.parse(readFileSync(json, 'utf8')), []);
rmSync(scratch, { recursive: true, force: true });

if (missing.length > 0) {
  console.error(`docs: ${missing.length} public exports have no @example:`);
  for (const name of missing) console.error(`  ${name}`);
  process.exit(1);
}
console.log('docs: API reference built in docs/api; every public export has an @example.');
