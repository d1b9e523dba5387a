import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/** `mcp-oauth` without arguments: a short usage, exit 0 (the whole help is --help). */
let box: Sandbox;

beforeAll(async () => {
  box = await createSandbox();
});

afterAll(async () => {
  await box?.close();
});

describe('no arguments', () => {
  it('prints a short usage with the most common commands, exit 0', async () => {
    const result = await box.run([]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Usage: mcp-oauth <command> [options]');
    expect(result.stdout).toContain('mcp-oauth --help');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    // each command it names is one of the program's
    const help = (await box.run(['--help'])).stdout;
    const named = [...result.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]);
    expect(named).toEqual(['login', 'status', 'list', 'token', 'test', 'inspect', 'proxy']);
    for (const command of named) expect(help).toMatch(new RegExp(`^ {2}${command}[ |]`, 'm'));
  });
});

describe('--help', () => {
  it('a lone --help or -h prints what commander prints for the whole program, exit 0', async () => {
    // with another global flag the command line goes through commander itself
    const live = await box.run(['--quiet', '--help']);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain('Usage: mcp-oauth [options] [command]');
    for (const args of [['--help'], ['-h']]) {
      const result = await box.run(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(live.stdout);
    }
  });
});
