import { readFile, writeFile } from 'node:fs/promises';
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
async function runListingModules(args: string[]) {
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
    env: { NODE_OPTIONS: `--import ${pathToFileURL(register).href}`, MODULE_LOG: log },
  });
  const modules = (await readFile(log, 'utf8'))
    .split('\n')
    .filter((url) => url.endsWith('.js') || url.endsWith('.mjs'));
  return { ...result, modules };
}

describe('proxy entry (the command hosts spawn per window)', () => {
  it('a plain proxy command line runs from dist/proxy.mjs, without commander or the other commands', async () => {
    const result = await runListingModules([
      'proxy',
      'https://mcp.example.com/mcp',
      '--transport',
      'sse-only',
      '--print-config',
      '--store',
      'memory',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).mcpServers.example.args).toContain('sse-only');
    const files = result.modules.map((url) => url.slice(url.lastIndexOf('/') + 1));
    expect(files).toContain('proxy.mjs');
    expect(result.modules.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('program-'))).toEqual([]);
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
