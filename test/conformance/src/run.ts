#!/usr/bin/env node
/**
 * Runs the MCP conformance referee's client auth scenarios against
 * `dist/client.js`, for each pinned referee version, and compares the verdicts
 * with `expected-failures.yml`.
 *
 *   node dist/run.js [--only <substring>] [--referee 0.1.16|next] [--jobs N] [--verbose]
 *
 * Every scenario runs on its own (`conformance client --scenario`), which is the
 * referee's strict verdict: a FAILURE or WARNING check, or a client that exits
 * with an error where the scenario does not allow it, fails. For 0.1.16 the
 * scenarios are those of the suites auth, metadata, sep-835, backcompat, draft
 * and extensions (together: every `auth/` client scenario it lists); for the
 * pre-release, every `auth/` client scenario it lists.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = resolve(PACKAGE_ROOT, '../..');
const require = createRequire(join(PACKAGE_ROOT, 'package.json'));

export interface Referee {
  /** `0.1.16` or `next`: the key used in expected-failures.yml. */
  key: string;
  version: string;
  bin: string;
}

export interface Scenario {
  referee: Referee;
  name: string;
  /** Spec revisions the referee lists for it (e.g. 2025-11-25, draft, extension). */
  specVersions: string[];
  /** The 0.1.16 suites it belongs to (informational). */
  suites: string[];
}

export interface ScenarioResult {
  referee: string;
  refereeVersion: string;
  scenario: string;
  suites: string[];
  passed: boolean;
  exitCode: number;
  checks: { success: number; failure: number; warning: number };
  /** The failing and warning checks, and the client's last error line. */
  problems: string[];
  durationMs: number;
  expectedFailure?: string;
  verdict: 'pass' | 'expected-failure' | 'unexpected-failure' | 'stale-expected-failure';
}

export interface RunOptions {
  only?: string;
  referee?: string;
  jobs?: number;
  resultsDir?: string;
  expectedFailuresFile?: string;
  log?: (line: string) => void;
}

export const REFEREES: Referee[] = [
  refereeFor('0.1.16', 'conformance-0116'),
  refereeFor('next', 'conformance-next'),
];

function refereeFor(key: string, alias: string): Referee {
  const pkg = require.resolve(`${alias}/package.json`);
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  return { key, version, bin: join(dirname(pkg), 'dist', 'index.js') };
}

/** The Node 22 the referee needs, installed by scripts/install-node22.sh (once). */
export function node22(): string {
  if (process.env.NODE22 && existsSync(process.env.NODE22)) return process.env.NODE22;
  const script = join(REPO_ROOT, 'scripts', 'install-node22.sh');
  return execFileSync('sh', [script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** `conformance list --client`, keeping the `auth/` scenarios. */
export function listScenarios(referee: Referee, node = node22()): Scenario[] {
  const out = execFileSync(node, [referee.bin, 'list', '--client'], { encoding: 'utf8' });
  const scenarios: Scenario[] = [];
  for (const line of out.split('\n')) {
    const match = /^\s*-\s+(auth\/\S+)(?:\s+\[([^\]]*)\])?/.exec(line);
    if (!match?.[1]) continue;
    const specVersions = (match[2] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    scenarios.push({
      referee,
      name: match[1],
      specVersions,
      suites: suitesOf(match[1], specVersions),
    });
  }
  return scenarios;
}

/** The 0.1.16 suite names, derived the way the referee builds them. */
function suitesOf(name: string, specVersions: string[]): string[] {
  if (specVersions.includes('2025-03-26')) return ['backcompat'];
  if (specVersions.includes('extension')) return ['extensions'];
  if (
    specVersions.includes('draft') ||
    (specVersions.length > 0 && specVersions.every((v) => v >= '2026'))
  )
    return ['draft'];
  const suites = ['auth'];
  if (name.startsWith('auth/metadata-')) suites.push('metadata');
  if (name.startsWith('auth/scope-')) suites.push('sep-835');
  return suites;
}

export type ExpectedFailures = Record<string, Record<string, string>>;

/** expected-failures.yml: `{ <referee key>: { <scenario>: <reason> } }`. */
export function readExpectedFailures(
  file = join(PACKAGE_ROOT, 'expected-failures.yml'),
): ExpectedFailures {
  if (!existsSync(file)) return {};
  const parsed = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const result: ExpectedFailures = {};
  for (const [key, entries] of Object.entries(parsed)) {
    if (entries == null) continue;
    if (typeof entries !== 'object' || Array.isArray(entries))
      throw new Error(`expected-failures.yml: "${key}" must map scenarios to reasons.`);
    result[key] = {};
    for (const [scenario, reason] of Object.entries(entries as Record<string, unknown>)) {
      if (typeof reason !== 'string' || reason.trim() === '')
        throw new Error(`expected-failures.yml: ${key} ${scenario} needs a written reason.`);
      result[key][scenario] = reason.trim();
    }
  }
  return result;
}

function runOne(
  node: string,
  scenario: Scenario,
  outDir: string,
): Promise<Omit<ScenarioResult, 'verdict' | 'expectedFailure'>> {
  const client = join(PACKAGE_ROOT, 'dist', 'client.js');
  const command = `"${process.execPath}" "${client}"`;
  const started = Date.now();
  return new Promise((done) => {
    execFile(
      node,
      [
        scenario.referee.bin,
        'client',
        '--command',
        command,
        '--scenario',
        scenario.name,
        '--timeout',
        '30000',
        '-o',
        outDir,
      ],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
      (error, _stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const checks = readChecks(outDir, scenario.name);
        const tally = { success: 0, failure: 0, warning: 0 };
        const problems: string[] = [];
        for (const check of checks) {
          if (check.status === 'SUCCESS') tally.success++;
          if (check.status === 'FAILURE') tally.failure++;
          if (check.status === 'WARNING') tally.warning++;
          if (check.status === 'FAILURE' || check.status === 'WARNING')
            problems.push(
              `${check.status} ${check.id}: ${check.errorMessage ?? check.description ?? ''}`,
            );
        }
        const clientError =
          clientFailure(outDir, scenario.name) ??
          (exitCode !== 0 && checks.length === 0 ? lastLine(stderr) : undefined);
        if (clientError && exitCode !== 0) problems.push(`client: ${clientError}`);
        done({
          referee: scenario.referee.key,
          refereeVersion: scenario.referee.version,
          scenario: scenario.name,
          suites: scenario.suites,
          passed: exitCode === 0,
          exitCode,
          checks: tally,
          problems,
          durationMs: Date.now() - started,
        });
      },
    );
  });
}

interface Check {
  id: string;
  status: string;
  description?: string;
  errorMessage?: string;
}

/** The referee writes `<out>/<scenario>-<timestamp>/checks.json`; `auth/x` nests under `auth/`. */
function scenarioDir(outDir: string, name: string): string | undefined {
  const parent = join(outDir, dirname(name));
  if (!existsSync(parent)) return undefined;
  const base = name.split('/').at(-1) ?? name;
  const dirs = readdirSync(parent).filter(
    (d) => d.startsWith(`${base}-`) && /^\d{4}-\d{2}-\d{2}T/.test(d.slice(base.length + 1)),
  );
  const latest = dirs.sort().at(-1);
  return latest ? join(parent, latest) : undefined;
}

function readChecks(outDir: string, name: string): Check[] {
  const dir = scenarioDir(outDir, name);
  if (!dir || !existsSync(join(dir, 'checks.json'))) return [];
  return JSON.parse(readFileSync(join(dir, 'checks.json'), 'utf8')) as Check[];
}

function clientFailure(outDir: string, name: string): string | undefined {
  const dir = scenarioDir(outDir, name);
  if (!dir || !existsSync(join(dir, 'stderr.txt'))) return undefined;
  const line = readFileSync(join(dir, 'stderr.txt'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('[client] failed: '));
  return line?.slice('[client] failed: '.length);
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** Runs the scenarios, `jobs` at a time, and judges them against the baseline. */
export async function runConformance(options: RunOptions = {}): Promise<ScenarioResult[]> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const node = node22();
  const resultsDir = options.resultsDir ?? join(PACKAGE_ROOT, '.tmp', 'results');
  rmSync(resultsDir, { recursive: true, force: true });
  const expected = readExpectedFailures(options.expectedFailuresFile);
  const referees = REFEREES.filter(
    (r) => !options.referee || r.key === options.referee || r.version === options.referee,
  );
  const scenarios = referees
    .flatMap((r) => listScenarios(r, node))
    .filter((s) => !options.only || s.name.includes(options.only));
  const jobs = Math.max(1, options.jobs ?? 4);
  const results: ScenarioResult[] = new Array(scenarios.length);
  let next = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const index = next++;
      const scenario = scenarios[index] as Scenario;
      const raw = await runOne(node, scenario, join(resultsDir, scenario.referee.key));
      const reason = expected[scenario.referee.key]?.[scenario.name];
      const verdict: ScenarioResult['verdict'] = raw.passed
        ? reason
          ? 'stale-expected-failure'
          : 'pass'
        : reason
          ? 'expected-failure'
          : 'unexpected-failure';
      results[index] = { ...raw, verdict, ...(reason ? { expectedFailure: reason } : {}) };
      log(
        `${raw.passed ? 'pass' : 'FAIL'}  ${scenario.referee.version.padEnd(15)} ${scenario.name}`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, scenarios.length) }, worker));
  // baseline entries for scenarios this run no longer lists are stale too
  for (const referee of referees) {
    for (const name of Object.keys(expected[referee.key] ?? {})) {
      if (options.only || scenarios.some((s) => s.referee === referee && s.name === name)) continue;
      results.push({
        referee: referee.key,
        refereeVersion: referee.version,
        scenario: name,
        suites: [],
        passed: false,
        exitCode: -1,
        checks: { success: 0, failure: 0, warning: 0 },
        problems: ['listed in expected-failures.yml, but the referee has no such scenario'],
        durationMs: 0,
        verdict: 'stale-expected-failure',
      });
    }
  }
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'summary.json'), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

export function summaryTable(results: ScenarioResult[]): string {
  const rows = results.map((r) => [
    r.refereeVersion,
    r.scenario,
    r.suites.join(', '),
    {
      pass: 'pass',
      'expected-failure': 'expected failure',
      'unexpected-failure': 'FAIL',
      'stale-expected-failure': 'STALE baseline entry',
    }[r.verdict],
    `${r.checks.success}/${r.checks.failure}/${r.checks.warning}`,
    r.expectedFailure ?? (r.verdict === 'pass' ? '' : (r.problems[0] ?? '')).slice(0, 110),
  ]);
  const head = ['referee', 'scenario', 'suites', 'result', 'checks ok/fail/warn', 'note'];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => String(row[i]).length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) => line(r.map(String))),
  ];
  for (const key of [...new Set(results.map((r) => r.refereeVersion))]) {
    const mine = results.filter((r) => r.refereeVersion === key);
    const count = (v: ScenarioResult['verdict']) => mine.filter((r) => r.verdict === v).length;
    out.push(
      `${key}: ${mine.length} scenarios, ${count('pass')} passed, ${count('expected-failure')} expected failures, ${count('unexpected-failure')} unexpected failures, ${count('stale-expected-failure')} stale baseline entries; checks ${mine.reduce((n, r) => n + r.checks.success, 0)} ok, ${mine.reduce((n, r) => n + r.checks.failure, 0)} failed, ${mine.reduce((n, r) => n + r.checks.warning, 0)} warnings`,
    );
  }
  return out.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = arg('--only');
  const referee = arg('--referee');
  const jobs = arg('--jobs');
  const results = await runConformance({
    ...(only ? { only } : {}),
    ...(referee ? { referee } : {}),
    ...(jobs ? { jobs: Number(jobs) } : {}),
  });
  process.stdout.write(`\n${summaryTable(results)}\n`);
  if (argv.includes('--verbose')) {
    for (const r of results.filter((x) => !x.passed))
      process.stdout.write(`\n${r.refereeVersion} ${r.scenario}\n  ${r.problems.join('\n  ')}\n`);
  }
  const bad = results.filter(
    (r) => r.verdict === 'unexpected-failure' || r.verdict === 'stale-expected-failure',
  );
  for (const r of bad) {
    process.stderr.write(
      r.verdict === 'unexpected-failure'
        ? `unexpected failure: ${r.refereeVersion} ${r.scenario}: ${r.problems.join('; ')}\n`
        : `stale expected-failures.yml entry: ${r.referee} ${r.scenario} (${r.problems[0] ?? 'it passes now: remove it'})\n`,
    );
  }
  return bad.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(2);
    },
  );
}
