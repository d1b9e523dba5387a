// The node:test and jest examples run here, each in its own runner, on their compiled form
// (Node 20 cannot run TypeScript; tsc -p tsconfig.build.json writes dist/), so that all three
// examples run in this package's suite.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mcp-oauth-example-testing-'));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const build = await run([tsc, '-p', 'tsconfig.build.json']);
  expect(build.stdout + build.stderr).toBe('');
  expect(build.code).toBe(0);
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('node --test passes the node:test example (first login, refresh, step-up, revoked grant)', async () => {
  const result = await run(['--test', 'dist/test/node/']);
  expect(result.stdout).toMatch(/^# pass 4$/m);
  expect(result.stdout).toMatch(/^# fail 0$/m);
  expect(result.code).toBe(0);
});

it('jest passes the jest example (first login, refresh, step-up, revoked grant)', async () => {
  const report = join(scratch, 'jest.json');
  const jest = join(dir, 'node_modules', 'jest', 'bin', 'jest.js');
  const result = await run([
    '--experimental-vm-modules',
    jest,
    '--ci',
    '--json',
    `--outputFile=${report}`,
  ]);
  const summary = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { message: string }[];
  };
  const messages = summary.testResults.map((r) => r.message).join('\n');
  expect({ ...summary, messages }).toMatchObject({
    numPassedTests: 4,
    numFailedTests: 0,
    messages: '',
  });
  expect(result.code).toBe(0);
});
