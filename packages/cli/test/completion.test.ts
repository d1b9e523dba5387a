import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileStore } from '@mcp-oauth/store-file';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAlias } from '../src/aliases.ts';
import { completionScript, SHELLS } from '../src/completion.ts';
import { CLI, createSandbox, type Sandbox } from './helpers.ts';

/**
 * `mcp-oauth completion`: scripts generated from the program, run in a real bash, zsh and fish.
 * Server names come from `mcp-oauth list --names`: the shells find the built CLI as `mcp-oauth`
 * on PATH, and the sandbox's store (MCP_OAUTH_DIR) holds the names linear and notion; another
 * store folder (`--dir`) holds github.
 */
let box: Sandbox;
let script: string;
/** The sandbox's environment with the `mcp-oauth` command first on PATH. */
let env: NodeJS.ProcessEnv;
/** An empty folder the shells run in: file-name completion offers nothing there. */
let cwd: string;
/** The store folder whose only name is github. */
let otherDir: string;

/** Name records, as `login --name` leaves them (no tokens: the names are all completion reads). */
async function storeNames(directory: string, names: string[]): Promise<void> {
  const store = fileStore({ directory });
  for (const name of names)
    await writeAlias(store, {
      v: 1,
      kind: 'alias',
      name,
      serverUrl: `https://mcp.${name}.example/mcp`,
      createdAt: Date.now(),
    });
  await store.close();
}

beforeAll(async () => {
  box = await createSandbox();
  const bin = join(box.dir, 'bin');
  cwd = join(box.dir, 'empty');
  otherDir = join(box.dir, 'other-store');
  await mkdir(bin);
  await mkdir(cwd);
  const command = join(bin, 'mcp-oauth');
  await writeFile(command, `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  await chmod(command, 0o755);
  env = { ...box.env, PATH: `${bin}:${box.env.PATH}` };
  await storeNames(String(box.env.MCP_OAUTH_DIR), ['notion', 'linear']);
  await storeNames(otherDir, ['github']);
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
    { encoding: 'utf8', env, cwd, timeout: 20_000 },
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
    // the global --store's values, and migrate's
    expect(complete('mcp-oauth', '--store', '')).toEqual([
      'auto',
      'keychain',
      'file',
      'memory',
      'redis',
    ]);
    expect(complete('mcp-oauth', 'migrate', '--to', 'f')).toEqual(['file']);
  });

  it('completes the names given at login for the first argument: mcp-oauth token <TAB>', () => {
    expect(complete('mcp-oauth', 'token', '')).toEqual(['linear', 'notion']);
    expect(complete('mcp-oauth', 'token', 'n')).toEqual(['notion']);
    expect(complete('mcp-oauth', 'login', 'l')).toEqual(['linear']);
    // after the command's flags, and their values
    expect(complete('mcp-oauth', 'status', '--json', '')).toEqual(['linear', 'notion']);
    expect(complete('mcp-oauth', 'proxy', '--timeout', '5', '')).toEqual(['linear', 'notion']);
    // flags still complete
    expect(complete('mcp-oauth', 'token', '--')).toEqual(['--json', '--help']);
  });

  it('offers no names but for the first argument', () => {
    expect(complete('mcp-oauth', 'token', 'notion', '')).toEqual([]);
    // a flag's value, a command that takes a URL
    expect(complete('mcp-oauth', 'login', '--name', '')).toEqual([]);
    expect(complete('mcp-oauth', 'inspect', '')).toEqual([]);
  });

  it('asks the store that --dir, before or after the command, chooses', () => {
    expect(complete('mcp-oauth', '--dir', otherDir, 'token', '')).toEqual(['github']);
    expect(complete('mcp-oauth', 'token', '--dir', otherDir, '')).toEqual(['github']);
    // ~/ is the home folder, as the shell would expand it
    expect(complete('mcp-oauth', 'token', '--dir', '~/other-store', '')).toEqual(['github']);
    expect(complete('mcp-oauth', '--namespace', 'work', 'token', '')).toEqual([]);
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
    execFileSync('zsh', ['-f', CAPTURE, zshScript, line], {
      encoding: 'utf8',
      env,
      cwd,
      timeout: 20_000,
    })
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
    // a flag's fixed values: a command's, and the global --store's
    expect(zsh('mcp-oauth login --dpop ')).toEqual(['always', 'auto', 'off']);
    expect(zsh('mcp-oauth proxy --transport http')).toEqual(['http-first', 'http-only']);
    expect(zsh('mcp-oauth --store ')).toEqual(['auto', 'file', 'keychain', 'memory', 'redis']);
    expect(zsh('mcp-oauth migrate --from ')).toEqual(['file', 'keychain', 'redis']);
  });

  it('completes the names given at login for the first argument only', () => {
    expect(zsh('mcp-oauth token ')).toEqual(['linear', 'notion']);
    expect(zsh('mcp-oauth token n')).toEqual(['notion']);
    expect(zsh('mcp-oauth status --json ')).toEqual(['linear', 'notion']);
    expect(zsh('mcp-oauth token notion ')).toEqual([]);
    expect(zsh('mcp-oauth login --name ')).toEqual([]);
    expect(zsh(`mcp-oauth --dir ${otherDir} token `)).toEqual(['github']);
    expect(zsh(`mcp-oauth token --dir ${otherDir} `)).toEqual(['github']);
    expect(zsh('mcp-oauth token --dir ~/other-store ')).toEqual(['github']);
  });
});

describe('fish completion, in a real fish (complete -C)', () => {
  let fishScript: string;
  /** The candidates fish offers for `line` (without their descriptions). */
  const fish = (line: string): string[] =>
    execFileSync(
      'fish',
      ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', fishScript, line],
      { encoding: 'utf8', env, cwd, timeout: 20_000 },
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
    expect(fish('mcp-oauth --store ')).toEqual(['auto', 'file', 'keychain', 'memory', 'redis']);
    expect(fish('mcp-oauth status --j')).toEqual(['--json']);
    // a flag of another command is not offered
    expect(fish('mcp-oauth status --cli')).toEqual([]);
    expect(fish('mcp-oauth completion ')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('completes the names given at login for the first argument only', () => {
    expect(fish('mcp-oauth token ')).toEqual(['linear', 'notion']);
    expect(fish('mcp-oauth token n')).toEqual(['notion']);
    expect(fish('mcp-oauth status --json ')).toEqual(['linear', 'notion']);
    expect(fish('mcp-oauth token notion ')).toEqual([]);
    expect(fish('mcp-oauth login --name ')).toEqual([]);
    expect(fish(`mcp-oauth --dir ${otherDir} token `)).toEqual(['github']);
    expect(fish(`mcp-oauth token --dir ${otherDir} `)).toEqual(['github']);
    expect(fish('mcp-oauth token --dir ~/other-store ')).toEqual(['github']);
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

  it('asks the program it was generated for (program.name()) for the names', async () => {
    for (const shell of SHELLS) {
      const result = await box.run(['completion', shell]);
      expect(result.stdout, shell).toMatch(/command mcp-oauth \S+ list --names 2>\/dev\/null/);
      // another program's name, and only its commands whose first argument is a stored name
      const other = new Command('acme');
      other.command('get').argument('<name>');
      other.command('fetch').argument('<url>');
      const generated = completionScript(other, shell);
      expect(generated, shell).toMatch(/command acme \S+ list --names/);
      expect(generated.match(/list --names/g), shell).toHaveLength(1);
    }
  });

  it('refuses another shell (exit 2)', async () => {
    expect((await box.run(['completion', 'tcsh'])).code).toBe(2);
  });
});

describe('list --names', () => {
  const NAMES = 'linear\nnotion\n';

  it('prints the names, one a line, and nothing else (the quick path)', async () => {
    for (const args of [
      ['list', '--names'],
      ['ls', '--names'],
      ['--dir', otherDir, 'list', '--names'],
    ]) {
      const result = await box.run(args);
      expect(result, args.join(' ')).toEqual({
        code: 0,
        stdout: args.includes(otherDir) ? 'github\n' : NAMES,
        stderr: '',
      });
    }
  });

  it('prints nothing, on stdout or stderr, for a store without names, and makes none where there was none', async () => {
    const empty = join(box.dir, 'no-names');
    expect(await box.run(['list', '--names', '--dir', empty])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    // a mistyped --dir, as completion meets it on every TAB: no folder, no key is made there
    expect(existsSync(empty)).toBe(false);
    expect(await box.run(['list', '--names', '--store', 'file', '--dir', empty])).toMatchObject({
      code: 0,
      stdout: '',
    });
    expect(existsSync(empty)).toBe(false);
  });

  it('list (all of it) of a folder where no store was made says so, makes none, and --json is []', async () => {
    const typo = join(box.dir, 'tyop');
    const text = await box.run(['list', '--dir', typo]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain(`No store in ${typo} (nothing was ever stored there).`);
    expect((await box.run(['list', '--dir', typo, '--json'])).stdout).toBe('[]\n');
    expect(existsSync(typo)).toBe(false);
  });

  it('prints only names a shell takes as they are: a record naming itself otherwise is left out', async () => {
    const shared = join(box.dir, 'shared-store');
    // someone else with write access to a shared store wrote these records
    await storeNames(shared, ['ok-name', '$(touch PWNED)', '*', 'a b']);
    const result = await box.run(['list', '--names', '--dir', shared]);
    expect(result).toEqual({ code: 0, stdout: 'ok-name\n', stderr: '' });
    // and bash completion offers only that one, running nothing
    expect(complete('mcp-oauth', '--dir', shared, 'token', '')).toEqual(['ok-name']);
    expect(existsSync(join(cwd, 'PWNED'))).toBe(false);
  });

  it('answers alike through the full program and with --verbose', async () => {
    // `--` is not a plain command line: commander parses it
    const program = await box.run(['list', '--names', '--']);
    expect(program).toEqual({ code: 0, stdout: NAMES, stderr: '' });
    const verbose = await box.run(['--verbose', 'ls', '--names']);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toBe(NAMES);
    expect(verbose.stderr).toMatch(/^store: /);
  });

  it("conflicts with --json, and is list's own option (exit 2)", async () => {
    const both = await box.run(['list', '--names', '--json']);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr).toMatch(/option '--names' cannot be used with option '--json'/);
    for (const args of [
      ['token', 'notion', '--names'],
      ['show', 'notion', '--names'],
    ]) {
      const result = await box.run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/unknown option '--names'/);
    }
  });
});
