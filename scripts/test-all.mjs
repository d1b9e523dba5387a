// `npm test`: installs what the tests need (pnpm, dependencies, system packages, other
// Node versions), builds everything, runs every check and test suite, and ends with
// one line: `N passed, N failed, N skipped`. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { installDependencies, pnpmCommand, root } from './lib/pnpm.mjs';

const totals = { passed: 0, failed: 0, skipped: 0 };
// What failed, and the first lines of why: printed just above the table so that the tail of
// a CI log, often all that is kept, names the failures.
const failures = [];
const rows = [];
const record = (suite, passed, failed, skipped = 0, note = '') => {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  rows.push({ suite, passed, failed, skipped, note });
};
const run = (command, args, options = {}) => {
  const started = Date.now();
  const r = spawnSync(command, args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 20 * 60_000,
    ...options,
  });
  return { code: r.status ?? 1, seconds: Math.round((Date.now() - started) / 1000) };
};

installDependencies();
const pnpm = pnpmCommand();

// System prerequisites the project's own scripts install (idempotent).
for (const script of [
  'setup-keyring.sh',
  'setup-redis.sh',
  'setup-shells.sh',
  'install-node22.sh',
  'install-runtimes.sh',
]) {
  const path = join(root, 'scripts', script);
  if (!existsSync(path)) continue;
  const { code } = run('bash', [path]);
  record(`setup: ${script}`, code === 0 ? 1 : 0, code === 0 ? 0 : 1);
}

// Workspace packages, in folder order.
const packages = [];
for (const group of ['packages', 'test', 'examples', 'bench']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  const dirs = existsSync(join(dir, 'package.json'))
    ? [dir]
    : readdirSync(dir).map((d) => join(dir, d));
  for (const d of dirs) {
    const file = join(d, 'package.json');
    if (existsSync(file))
      packages.push({ dir: d, manifest: JSON.parse(readFileSync(file, 'utf8')) });
  }
}

const build = run(pnpm, [
  'exec',
  'turbo',
  'run',
  'build',
  '--output-logs=errors-only',
  '--log-prefix=none',
]);
record('build (turbo run build)', build.code === 0 ? 1 : 0, build.code === 0 ? 0 : 1);

const lint = run(pnpm, ['exec', 'biome', 'check', '.', '--diagnostic-level=error']);
record('lint (biome check)', lint.code === 0 ? 1 : 0, lint.code === 0 ? 0 : 1);

// The API reference: TypeDoc with warnings as errors, and an @example on every public export.
// After the build, since a type one package re-exports from another is read from its build.
const docs = run(process.execPath, [join(root, 'scripts', 'docs.mjs')]);
record('docs: API reference', docs.code === 0 ? 1 : 0, docs.code === 0 ? 0 : 1);

for (const { dir, manifest } of packages) {
  for (const script of ['typecheck', 'lint:package']) {
    if (!manifest.scripts?.[script]) continue;
    const { code } = run(pnpm, ['--silent', 'run', script], { cwd: dir });
    record(`${script}: ${manifest.name}`, code === 0 ? 1 : 0, code === 0 ? 0 : 1);
  }
}

/** Adds a vitest JSON report to the totals (a missing report is one failure). */
function recordReport(suite, report, code, seconds) {
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // a suite that failed to load counts as a failure even when no test inside it ran
    const broken = (r.testResults ?? []).filter(
      (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
    ).length;
    const failed =
      r.numFailedTests + broken + (code !== 0 && r.numFailedTests + broken === 0 ? 1 : 0);
    record(suite, r.numPassedTests, failed, skipped, `${seconds}s`);
    for (const file of r.testResults ?? []) {
      const where = file.name.replace(`${root}/`, '');
      if (file.status === 'failed' && (file.assertionResults ?? []).length === 0)
        failures.push({ where, title: '(the file did not load)', message: file.message ?? '' });
      for (const test of file.assertionResults ?? []) {
        if (test.status !== 'failed') continue;
        const message = (test.failureMessages ?? []).join('\n');
        failures.push({ where, title: test.fullName ?? test.title, message });
      }
    }
  } else {
    record(suite, 0, 1, 0, `no report (exit ${code})`);
  }
}

// Suites that also run on the other Node majors the packages support (installed into .tools/
// by the setup scripts): the transport builds on Node's zlib, web streams and undici's
// handler interface, whose behaviour may change between majors.
const alsoOnNode = { '@mcp-oauth/transport-fetch': ['22', '24'] };
const nodePackage = `node-${process.platform}-${process.arch}`;
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');

for (const { dir, manifest } of packages) {
  if (!manifest.scripts?.test) continue;
  const report = join(dir, '.test-results.json');
  rmSync(report, { force: true });
  process.stdout.write(`\n=== ${manifest.name}: tests ===\n`);
  const { code, seconds } = run(pnpm, ['--silent', 'run', 'test'], { cwd: dir });
  recordReport(`tests: ${manifest.name}`, report, code, seconds);
  for (const major of alsoOnNode[manifest.name] ?? []) {
    const suite = `tests: ${manifest.name} (Node ${major})`;
    const node = join(root, '.tools', `node${major}`, 'node_modules', nodePackage, 'bin', 'node');
    if (!existsSync(node)) {
      record(suite, 0, 1, 0, `Node ${major} is not installed in .tools/node${major}`);
      continue;
    }
    const name = `.test-results-node${major}.json`;
    rmSync(join(dir, name), { force: true });
    process.stdout.write(`\n=== ${manifest.name}: tests on Node ${major} ===\n`);
    const extra = run(node, [vitest, 'run'], {
      cwd: dir,
      env: {
        ...process.env,
        PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`,
        MCP_OAUTH_TEST_REPORT: name,
      },
    });
    recordReport(suite, join(dir, name), extra.code, extra.seconds);
  }
}

if (failures.length > 0) {
  process.stdout.write(`\nfailed tests (${failures.length}):\n`);
  for (const f of failures) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
    const plain = f.message.replace(/\u001b\[[0-9;]*m/g, '');
    const lines = plain.split('\n').filter((l) => l.trim() !== '' && !/^\s+at /.test(l));
    process.stdout.write(`- ${f.where} > ${f.title}\n`);
    for (const line of lines.slice(0, 4)) process.stdout.write(`    ${line.slice(0, 200)}\n`);
  }
}

process.stdout.write(`\n${'suite'.padEnd(51)}passed  failed  skipped\n`);
for (const r of rows) {
  process.stdout.write(
    `${r.suite.padEnd(51)}${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${r.note}\n`,
  );
}
process.stdout.write(
  `\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(totals.failed > 0 ? 1 : 0);
