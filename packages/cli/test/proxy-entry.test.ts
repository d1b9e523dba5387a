import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

let box: Sandbox;

beforeAll(async () => {
  box = await createSandbox();
});

afterAll(async () => {
  await box?.close();
});

/** Runs the CLI with a module hook that lists every ES module it loads. */
async function runListingModules(args: string[], env: NodeJS.ProcessEnv = {}) {
  const log = join(box.dir, `modules-${Math.random().toString(36).slice(2)}.log`);
  const hooks = join(box.dir, 'hooks.mjs');
  const register = join(box.dir, 'register.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.MODULE_LOG, url + '\\n');
  return next(url, context);
}
`,
  );
  await writeFile(
    register,
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
`,
  );
  const result = await box.run(args, {
    env: { ...env, NODE_OPTIONS: `--import ${pathToFileURL(register).href}`, MODULE_LOG: log },
  });
  const modules = (await readFile(log, 'utf8').catch(() => ''))
    .split('\n')
    .filter((url) => url.endsWith('.js') || url.endsWith('.mjs'));
  return { ...result, modules };
}

describe('proxy entry (the command hosts spawn per window)', () => {
  it('a plain proxy command line runs from dist/proxy.cjs through the code cache, without the ESM loader, commander or the other commands', async () => {
    const cacheHome = join(box.dir, 'cache-proxy');
    await mkdir(cacheHome, { mode: 0o700 });
    const cacheFolder = join(cacheHome, 'mcp-oauth', 'v8');
    const args = [
      'proxy',
      'https://mcp.example.com/mcp',
      '--transport',
      'sse-only',
      '--print-config',
      '--store',
      'memory',
    ];
    const env = { XDG_CACHE_HOME: cacheHome };
    const first = await runListingModules(args, env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).mcpServers.example.args).toContain('sse-only');
    // not one ES module: the bin and its bundle are CommonJS (the listing hook sees every
    // ES module, the bin's own dist/*.js chunks and anything in node_modules included)
    expect(first.modules).toEqual([]);

    // a --print-config writes no code cache: the cache is kept once written, and this one
    // would hold little of a bridge
    const cached = async () =>
      (await readdir(cacheFolder).catch(() => [])).filter((f) => f.startsWith('proxy-'));
    expect(await cached()).toEqual([]);

    // a bridge run to its end (the host closes stdin at once) writes it, private to the user
    const bridge = ['proxy', 'https://mcp.example.com/mcp', '--store', 'memory', '--silent'];
    const ran = await runListingModules(bridge, env);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.modules).toEqual([]);
    const files = await cached();
    expect(files).toEqual([
      expect.stringMatching(new RegExp(`-${process.version}-${process.arch}\\.v8$`)),
    ]);
    const cacheFile = join(cacheFolder, files[0] ?? '');
    expect((await stat(cacheFile)).mode & 0o777).toBe(0o600);
    const written = await readFile(cacheFile);
    // the next start answers alike from it: accepted by V8, so not rewritten
    const second = await runListingModules(args, env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const again = await runListingModules(bridge, env);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(cacheFile)).toEqual(written);
  });

  it('command lines it does not take are answered by the full program, as before', async () => {
    const help = await box.run(['proxy', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mcp-oauth proxy [options] <server>');

    const transport = await box.run(['proxy', 'demo', '--transport', 'websocket']);
    expect(transport.code).toBe(2);
    expect(transport.stderr).toContain('http-first, sse-first, http-only, sse-only');

    const missing = await box.run(['proxy']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'server'");

    const unknown = await box.run(['proxy', 'demo', '--json']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--json'");
  });

  it('global options are taken before and after the command, as commander takes them', async () => {
    for (const args of [
      ['--store', 'vault', 'proxy', 'demo'],
      ['proxy', 'demo', '--store', 'vault'],
    ]) {
      const result = await box.run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('--store must be one of');
      expect(result.stdout).toBe('');
    }
  });
});
