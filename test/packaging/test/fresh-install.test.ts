// A new user's first hour, from the tarballs: every published package is packed (as
// `pnpm publish` would), installed with npm into a fresh project outside the workspace, every
// TypeScript block of the packages' READMEs (as shipped in the tarballs) compiled there under
// strict TypeScript against the installed packages, and the core, store-file and CLI quick
// starts run against the local test servers.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from '../src/markdown.ts';
import { packTarball } from '../src/pack.ts';
import { publishedPackages } from '../src/workspace.ts';

const run = promisify(execFile);
const packages = publishedPackages();
const scratch = mkdtempSync(join(tmpdir(), 'mcp-oauth-fresh-'));
const project = join(scratch, 'app');
const EXAMPLE_URL = 'https://mcp.example.com/mcp';
let stack: Stack;

/** What the installed packages' READMEs hold: blocks by package, as npm shows them. */
function shippedReadme(name: string): string {
  return readFileSync(join(project, 'node_modules', ...name.split('/'), 'README.md'), 'utf8');
}

/** The first block of `lang` under a README's `## Quick start` heading. */
function quickStart(name: string, lang: string): string {
  const readme = shippedReadme(name);
  const start = readme.indexOf('\n## Quick start');
  if (start < 0) throw new Error(`${name}'s README has no "## Quick start" section`);
  const block = codeBlocks(readme.slice(start)).find((b) => b.lang === lang);
  if (!block) throw new Error(`${name}'s quick start has no ${lang} block`);
  return block.code;
}

/** Environment of the quick starts: a private HOME, the file store, and a headless browser
 * built on the installed `@mcp-oauth/testing` (the tarball, as users get it). */
function userEnv(home: string): NodeJS.ProcessEnv {
  const browser = join(home, 'browser.mjs');
  writeFileSync(
    browser,
    `#!${process.execPath}
import { completeAuthorization } from ${JSON.stringify(join(project, 'node_modules/@mcp-oauth/testing/dist/index.js'))};
const callback = await completeAuthorization(process.argv[2]);
const response = await fetch(callback);
if (!response.ok) process.exit(1);
`,
  );
  chmodSync(browser, 0o755);
  return {
    PATH: `${join(project, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    BROWSER: browser,
    NO_COLOR: '1',
  };
}

beforeAll(async () => {
  const tarballs = packages.map((pkg) => packTarball(pkg, join(scratch, 'tarballs')));
  mkdirSync(project, { recursive: true });
  const dependencies = Object.fromEntries(
    packages.map((pkg, i) => [pkg.manifest.name, `file:${tarballs[i]}`]),
  );
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'fresh-app',
        private: true,
        type: 'module',
        dependencies: {
          ...dependencies,
          '@modelcontextprotocol/sdk': '^1.32.2',
          typescript: '~6.0.3',
          '@types/node': '^20.19.0',
          // what the READMEs' own examples import besides our packages: the OpenTelemetry SDK
          // the adapter's quick start wires up, the test runner of the testing package's example
          '@opentelemetry/api': '~1.9.1',
          '@opentelemetry/sdk-metrics': '~2.9.0',
          '@opentelemetry/sdk-trace-base': '~2.9.0',
          vitest: '~4.1.12',
        },
      },
      null,
      2,
    )}\n`,
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    timeout: 600_000,
  });
  stack = await startStack();
}, 900_000);

afterAll(async () => {
  await stack?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('from the tarballs, in a fresh npm project', () => {
  it('installs every published package', () => {
    for (const pkg of packages) {
      const installed = JSON.parse(
        readFileSync(
          join(project, 'node_modules', ...pkg.manifest.name.split('/'), 'package.json'),
          'utf8',
        ),
      ) as { version: string };
      expect(installed.version, pkg.manifest.name).toBe(pkg.manifest.version);
    }
  });

  it('compiles every TypeScript block of every README under strict TypeScript', () => {
    const dir = join(project, 'readme-blocks');
    mkdirSync(dir, { recursive: true });
    const origins = new Map<string, string>();
    for (const pkg of packages) {
      const blocks = codeBlocks(shippedReadme(pkg.manifest.name)).filter(
        (b) => b.lang === 'ts' || b.lang === 'typescript',
      );
      for (const block of blocks) {
        const file = `${pkg.path.replaceAll('/', '-')}-line-${block.line}.ts`;
        const prelude = block.prelude ? `${block.prelude}\n` : '';
        writeFileSync(join(dir, file), `${prelude}${block.code}\nexport {};\n`);
        origins.set(file, `${pkg.manifest.name} README line ${block.line}`);
      }
    }
    expect(origins.size).toBeGreaterThan(packages.length);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM', 'DOM.Iterable', 'ESNext.Disposable'],
          types: ['node'],
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          // as `tsc --init` sets it: the README blocks are checked, not third-party .d.ts files
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['*.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [join(project, 'node_modules/typescript/bin/tsc'), '-p', dir, '--pretty', 'false'],
        {
          cwd: dir,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    const errors = output
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .map((line) => {
        const file = line.split('(')[0] ?? '';
        return `${origins.get(file.replace(/^.*[\\/]/, '')) ?? file}: ${line}`;
      });
    expect(errors).toEqual([]);
  });

  it("runs core's quick start: login in a (headless) browser, then a tool call", async () => {
    const home = mkdtempSync(join(scratch, 'core-'));
    const code = quickStart('@mcp-oauth/core', 'ts').replaceAll(EXAMPLE_URL, stack.mcp.url);
    writeFileSync(join(project, 'core-quick-start.ts'), `${code}\nexport {};\n`);
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    await run(
      process.execPath,
      [
        tsc,
        '--outDir',
        join(project, 'out'),
        '--module',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--skipLibCheck',
        join(project, 'core-quick-start.ts'),
      ],
      { cwd: project },
    );
    const { stdout } = await run(process.execPath, [join(project, 'out/core-quick-start.js')], {
      cwd: project,
      env: userEnv(home),
      timeout: 60_000,
    });
    expect(stdout).toContain('hi');
    expect(stack.as.stats.authorizations).toBeGreaterThanOrEqual(1);
  });

  it("runs store-file's quick start: a record written, read back and rewritten under the lock", async () => {
    const home = mkdtempSync(join(scratch, 'file-'));
    const code = quickStart('@mcp-oauth/store-file', 'ts');
    const file = join(project, 'store-file-quick-start.mjs');
    // The block is plain JavaScript apart from its imports; it runs as an ES module.
    writeFileSync(
      file,
      `${code}\nconsole.log(JSON.stringify(await store.get('tokens/https://mcp.example.com/mcp')));\n`,
    );
    const { stdout } = await run(process.execPath, [file], {
      cwd: project,
      env: userEnv(home),
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({ v: 1 });
  });

  it("runs the CLI's quick start, command by command, against the local servers", async () => {
    const home = mkdtempSync(join(scratch, 'cli-'));
    const env = userEnv(home);
    const commands = quickStart('@mcp-oauth/cli', 'sh')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('mcp-oauth '))
      .map((line) => line.replaceAll(EXAMPLE_URL, stack.mcp.url).split(/\s+/).slice(1));
    expect(commands.map((c) => c[0])).toEqual(
      expect.arrayContaining(['inspect', 'login', 'test', 'list', 'show', 'logout']),
    );
    for (const args of commands) {
      const result = await run(join(project, 'node_modules/.bin/mcp-oauth'), args, {
        cwd: project,
        env,
        timeout: 60_000,
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({
          code: e.code ?? 1,
          stdout: e.stdout ?? '',
          stderr: e.stderr ?? '',
        }),
      );
      expect(result, `mcp-oauth ${args.join(' ')}:\n${result.stderr}`).toMatchObject({ code: 0 });
    }
    // The curl line of step 4, with the token the CLI prints.
    const { stdout: token } = await run(
      join(project, 'node_modules/.bin/mcp-oauth'),
      ['login', stack.mcp.url, '--name', 'again'],
      { cwd: project, env, timeout: 60_000 },
    ).then(() =>
      run(join(project, 'node_modules/.bin/mcp-oauth'), ['token', 'again'], {
        cwd: project,
        env,
      }),
    );
    const response = await fetch(stack.mcp.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token.trim()}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'curl', version: '0' },
        },
      }),
    });
    expect(response.status).toBe(200);
  });
});
