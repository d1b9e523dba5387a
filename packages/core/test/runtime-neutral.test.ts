import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Core claims any runtime with Web APIs. The compiler keeps Node types out of `src/`
 * (`"types": []`); this scans what is shipped, `dist/*.js` (every entry point and every chunk
 * they share), so a Node-only construct that slipped past the types (an `any`, a bundled
 * helper, a build setting) is caught too.
 *
 * The scan reads the syntax tree (TypeScript's parser), not the text: words inside strings,
 * template literals and comments ("Buffers the body...") are not code and are not reported.
 */

const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
) as {
  dependencies?: Record<string, string>;
  exports: Record<string, string | { default: string }>;
};
/** The built file of every entry point (`exports`): `index.js`, `store.js`, `flow.js`, ... */
const entryFiles = Object.values(manifest.exports).flatMap((target) =>
  typeof target === 'object' ? [target.default.replace(/^\.\/dist\//, '')] : [],
);
/** Bare imports core may keep in its output: its own dependencies (runtime-neutral themselves). */
const allowedPackages = new Set(Object.keys(manifest.dependencies ?? {}));
/** Globals that exist only on Node (or CommonJS). */
const nodeGlobals = new Set([
  'process',
  'Buffer',
  '__dirname',
  '__filename',
  'setImmediate',
  'clearImmediate',
  'global',
  'require',
  'module',
  'exports',
]);
const builtins = new Set(builtinModules);

interface Finding {
  line: number;
  what: string;
}

/** Node-only imports and globals in one JavaScript module's code. */
function scanModule(code: string): Finding[] {
  const file = ts.createSourceFile(
    'module.js',
    code,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.JS,
  );
  const findings: Finding[] = [];
  const report = (node: ts.Node, what: string) =>
    findings.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, what });

  const checkSpecifier = (node: ts.Node, specifier: string) => {
    if (specifier.startsWith('.') || specifier.startsWith('/')) return;
    const name = specifier.startsWith('@')
      ? specifier.split('/').slice(0, 2).join('/')
      : (specifier.split('/')[0] ?? '');
    if (specifier.startsWith('node:') || builtins.has(name))
      report(node, `import of the Node module "${specifier}"`);
    else if (!allowedPackages.has(name))
      report(node, `import of "${specifier}", which is not a dependency of core`);
  };

  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      checkSpecifier(node, node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) checkSpecifier(node, arg.text);
      else report(node, 'dynamic import() of a computed specifier');
    } else if (ts.isIdentifier(node) && nodeGlobals.has(node.text) && isFreeReference(node)) {
      report(node, `the Node global \`${node.text}\``);
    } else if (
      ts.isPropertyAccessExpression(node) &&
      nodeGlobals.has(node.name.text) &&
      ts.isIdentifier(node.expression) &&
      ['globalThis', 'self', 'window'].includes(node.expression.text) &&
      !isBuiltinModuleLookup(node)
    ) {
      report(node, `\`${node.expression.text}.${node.name.text}\``);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

/**
 * `globalThis.process?.getBuiltinModule?.(...)`: feature detection that cannot throw and does
 * nothing where there is no `process` (core looks up `diagnostics_channel` this way, so that
 * Node, Deno and Bun publish diagnostics and other runtimes skip them).
 */
function isBuiltinModuleLookup(node: ts.PropertyAccessExpression): boolean {
  const parent = node.parent;
  return (
    node.name.text === 'process' &&
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === node &&
    parent.questionDotToken !== undefined &&
    parent.name.text === 'getBuiltinModule' &&
    ts.isCallExpression(parent.parent) &&
    parent.parent.questionDotToken !== undefined
  );
}

/** An identifier used as a value of that name, not `x.process`, `{ process: 1 }`, a label or a declaration's property name. */
function isFreeReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isGetAccessor(parent) ||
      ts.isSetAccessor(parent) ||
      ts.isPropertySignature(parent)) &&
    parent.name === node
  )
    return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (
    (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) &&
    parent.propertyName === node
  )
    return false;
  if (ts.isExportSpecifier(parent) && parent.name === node && parent.parent.parent.moduleSpecifier)
    return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  return true;
}

describe('the scanner', () => {
  it('finds Node imports and globals in code', () => {
    const found = scanModule(`
      import { readFile } from 'node:fs';
      import crypto from 'crypto';
      export { x } from "node:path";
      const m = await import('node:os');
      const r = require('./x.js');
      if (process.env.X) Buffer.from('a');
      setImmediate(() => console.log(__dirname, __filename));
      global.foo = globalThis.process;
      globalThis.process.getBuiltinModule('node:fs');
      globalThis.process?.getBuiltinModule('node:fs');
    `).map((f) => f.what);
    expect(found).toEqual([
      'import of the Node module "node:fs"',
      'import of the Node module "crypto"',
      'import of the Node module "node:path"',
      'import of the Node module "node:os"',
      'the Node global `require`',
      'the Node global `process`',
      'the Node global `Buffer`',
      'the Node global `setImmediate`',
      'the Node global `__dirname`',
      'the Node global `__filename`',
      'the Node global `global`',
      '`globalThis.process`',
      '`globalThis.process`',
      '`globalThis.process`',
    ]);
  });

  it('ignores strings, templates, comments, property names and Web APIs', () => {
    expect(
      scanModule(`
        import * as oauth from 'oauth4webapi';
        import { importJWK } from "jose";
        import { a } from './memory-1.js';
        /** Buffers the body; process.env, require('node:fs') and Buffer in a comment. */
        // setImmediate, __dirname, global.x
        const s = 'node:crypto process.env Buffer require(x)';
        const t = \`\${s} process.exit() global.y\`;
        const o = { process: 1, Buffer: 2, global: 3, require: 4 };
        o.process; o.global = 1; const { process: p } = o;
        await new Response(s).arrayBuffer();
        crypto.getRandomValues(new Uint8Array(8)); globalThis.fetch(s);
        const dc = globalThis.process?.getBuiltinModule?.('node:diagnostics_channel');
      `),
    ).toEqual([]);
  });
});

describe("core's built output is runtime-neutral", () => {
  const files = existsSync(dist) ? readdirSync(dist).filter((f) => f.endsWith('.js')) : [];

  it('dist/ exists', () => {
    expect(
      files,
      `${dist} has no .js files: build core first (pnpm --filter @mcp-oauth/core build, or pnpm build)`,
    ).toContain('index.js');
  });

  it("every entry point in package.json's exports is built, so it is scanned below", () => {
    expect(entryFiles.length).toBeGreaterThan(1);
    expect(files).toEqual(expect.arrayContaining(entryFiles));
  });

  for (const name of files) {
    it(`dist/${name} imports no Node module and uses no Node global`, () => {
      const findings = scanModule(readFileSync(join(dist, name), 'utf8'));
      expect(findings.map((f) => `dist/${name}:${f.line}: ${f.what}`)).toEqual([]);
    });
  }
});
