import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/** `mcp-oauth completion`: scripts generated from the program, bash's run in a real bash. */
let box: Sandbox;
let script: string;

beforeAll(async () => {
  box = await createSandbox();
  const result = await box.run(['completion', 'bash']);
  expect(result.code, result.stderr).toBe(0);
  script = join(box.dir, 'mcp-oauth.bash');
  await writeFile(script, result.stdout);
});

afterAll(async () => {
  await box?.close();
});

/** What bash completes for the words typed so far (the last one being completed). */
function complete(...words: string[]): string[] {
  const program = `
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=()
spec=$(complete -p mcp-oauth) || exit 9
fn=\${spec#*-F }; fn=\${fn%% *}
"$fn"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const stdout = execFileSync(
    'bash',
    ['--norc', '--noprofile', '-c', program, 'bash', script, ...words],
    {
      encoding: 'utf8',
    },
  );
  return stdout.split('\n').filter(Boolean);
}

describe('bash completion', () => {
  it('is registered for mcp-oauth', () => {
    const spec = execFileSync(
      'bash',
      ['--norc', '--noprofile', '-c', 'source "$1"; complete -p mcp-oauth', 'bash', script],
      { encoding: 'utf8' },
    );
    expect(spec.trim()).toBe('complete -o default -F _mcp_oauth mcp-oauth');
  });

  it('completes command names: mcp-oauth lo<TAB>', () => {
    expect(complete('mcp-oauth', 'lo')).toEqual(['login', 'logout']);
    expect(complete('mcp-oauth', 'sta')).toEqual(['status']);
    // a global flag's value is not taken for the command
    expect(complete('mcp-oauth', '--store', 'file', 'lo')).toEqual(['login', 'logout']);
  });

  it("completes a command's flags and their choices", () => {
    expect(complete('mcp-oauth', 'login', '--na')).toEqual(['--name']);
    expect(complete('mcp-oauth', 'login', '--dpop', 'a')).toEqual(['auto', 'always']);
    expect(complete('mcp-oauth', 'status', '--')).toEqual(['--json', '--help']);
    expect(complete('mcp-oauth', '--q')).toEqual(['--quiet']);
    expect(complete('mcp-oauth', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });
});

describe('zsh and fish completion', () => {
  it('name every command and flag of the program', async () => {
    const commands = complete('mcp-oauth', '');
    expect(commands).toEqual(expect.arrayContaining(['login', 'status', 'completion', 'ls']));
    for (const shell of ['zsh', 'fish']) {
      const result = await box.run(['completion', shell]);
      expect(result.code, result.stderr).toBe(0);
      for (const command of commands) expect(result.stdout, shell).toContain(command);
      expect(result.stdout).toMatch(shell === 'zsh' ? /'--client-id:/ : /-l client-id -r/);
    }
  });

  it('refuses another shell (exit 2)', async () => {
    expect((await box.run(['completion', 'tcsh'])).code).toBe(2);
  });
});
