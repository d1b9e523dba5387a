import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Throws, naming the setup script, when a shell the tests load the scripts in is missing. */
function assertShell(shell: string): void {
  try {
    execFileSync(shell, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${shell} is not installed: run \`bash scripts/setup-shells.sh\` (Debian: apt-get install zsh fish).`,
    );
  }
}

async function writeScript(shell: 'zsh' | 'fish'): Promise<string> {
  const result = await box.run(['completion', shell]);
  expect(result.code, result.stderr).toBe(0);
  const file = join(box.dir, `mcp-oauth.${shell}`);
  await writeFile(file, result.stdout);
  return file;
}

describe('zsh completion, in a real zsh (compinit, TAB typed on a pseudo-terminal)', () => {
  let zshScript: string;
  const CAPTURE = fileURLToPath(new URL('./zsh-capture.zsh', import.meta.url));
  /** The matches zsh offers when TAB is pressed after `line`. */
  const zsh = (line: string): string[] =>
    execFileSync('zsh', ['-f', CAPTURE, zshScript, line], { encoding: 'utf8', timeout: 20_000 })
      .split('\n')
      .filter(Boolean);

  beforeAll(async () => {
    assertShell('zsh');
    zshScript = await writeScript('zsh');
  });

  it('completes command names: mcp-oauth lo<TAB>', () => {
    expect(zsh('mcp-oauth lo')).toEqual(['login', 'logout']);
    expect(zsh('mcp-oauth sta')).toEqual(['status']);
    expect(zsh('mcp-oauth --store file lo')).toEqual(['login', 'logout']);
  });

  it("completes a command's flags and a command's fixed arguments", () => {
    expect(zsh('mcp-oauth login --na')).toEqual(['--name']);
    expect(zsh('mcp-oauth status --')).toEqual(['--help', '--json']);
    expect(zsh('mcp-oauth --q')).toEqual(['--quiet']);
    expect(zsh('mcp-oauth completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(zsh('mcp-oauth zz')).toEqual([]);
  });
});

describe('fish completion, in a real fish (complete -C)', () => {
  let fishScript: string;
  /** The candidates fish offers for `line` (without their descriptions). */
  const fish = (line: string): string[] =>
    execFileSync(
      'fish',
      ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', fishScript, line],
      { encoding: 'utf8', timeout: 20_000 },
    )
      .split('\n')
      .filter(Boolean)
      .map((candidate) => candidate.split('\t')[0] ?? '');

  beforeAll(async () => {
    assertShell('fish');
    fishScript = await writeScript('fish');
  });

  it('completes command names: mcp-oauth lo<TAB>', () => {
    expect(fish('mcp-oauth lo')).toEqual(['login', 'logout']);
    expect(fish('mcp-oauth sta')).toEqual(['status']);
    // once a command is typed, command names are no longer offered
    expect(fish('mcp-oauth login lo')).not.toContain('logout');
  });

  it("completes a command's flags, their choices and a command's fixed arguments", () => {
    expect(fish('mcp-oauth login --cli')).toEqual([
      '--client-id',
      '--client-metadata-url',
      '--client-secret',
    ]);
    expect(fish('mcp-oauth login --dpop ')).toEqual(['always', 'auto', 'off']);
    expect(fish('mcp-oauth status --j')).toEqual(['--json']);
    // a flag of another command is not offered
    expect(fish('mcp-oauth status --cli')).toEqual([]);
    expect(fish('mcp-oauth completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});

describe('completion', () => {
  it("names every command in each shell's script", async () => {
    const commands = complete('mcp-oauth', '');
    expect(commands).toEqual(expect.arrayContaining(['login', 'status', 'completion', 'ls']));
    for (const shell of ['zsh', 'fish']) {
      const result = await box.run(['completion', shell]);
      expect(result.code, result.stderr).toBe(0);
      for (const command of commands) expect(result.stdout, shell).toContain(command);
    }
  });

  it('refuses another shell (exit 2)', async () => {
    expect((await box.run(['completion', 'tcsh'])).code).toBe(2);
  });
});
