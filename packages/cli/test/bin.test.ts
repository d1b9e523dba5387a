import { execFile } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliResult, createSandbox, type Sandbox } from './helpers.ts';

/**
 * The bin (package.json `bin`: dist/bin.cjs) is CommonJS, and what it answers itself
 * (--version, --help to a pipe) and the quick commands (token, header, list, show: the
 * dist/quick.cjs bundle) need nothing but Node's own modules: they run from a copy of the
 * package with no node_modules anywhere above it, as the full program cannot.
 */
const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
let stack: Stack;
let box: Sandbox;
let alone: string;

beforeAll(async () => {
  stack = await startStack();
  box = await createSandbox();
  alone = join(box.dir, 'alone');
  await cp(join(PACKAGE, 'dist'), join(alone, 'dist'), { recursive: true });
  await cp(join(PACKAGE, 'package.json'), join(alone, 'package.json'));
  const login = await box.run(['login', stack.mcp.url, '--name', 'demo']);
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

/** The copied bin, with the sandbox's environment (its store holds the login). */
function runAlone(args: string[]): Promise<CliResult> {
  const bin = join(alone, CLI.slice(PACKAGE.length));
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: box.env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the bin', () => {
  it('is a CommonJS file', () => {
    expect(CLI).toMatch(/\.cjs$/);
  });

  it('answers --version, --help and the quick commands without any installed package', async () => {
    const { version } = JSON.parse(await readFile(join(PACKAGE, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await runAlone(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await runAlone(['--help']);
    expect(help).toEqual({ code: 0, stdout: (await box.run(['--help'])).stdout, stderr: '' });

    for (const args of [
      ['token', 'demo'],
      ['header', 'demo'],
      ['token', 'demo', '--json'],
    ]) {
      const installed = await box.run(args);
      expect(installed.code, installed.stderr).toBe(0);
      expect(await runAlone(args), args.join(' ')).toEqual(installed);
    }
    for (const args of [['list'], ['show', 'demo']]) {
      const result = await runAlone(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(stack.mcp.url);
    }
    // a command of the full program needs commander: the copy really stands alone
    const program = await runAlone(['stores']);
    expect(program.code).not.toBe(0);
    expect(program.stderr).toContain('commander');
  });
});
