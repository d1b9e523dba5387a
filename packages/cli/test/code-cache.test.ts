import { chmod, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireWithCodeCache } from '../src/require-with-code-cache.ts';
import { createSandbox, type Sandbox } from './helpers.ts';

/**
 * The quick commands' bundle (dist/quick.cjs) is compiled through V8's code cache
 * (src/require-with-code-cache.ts): the cache is the user's (XDG cache folder, 0700 / 0600), is
 * replaced when V8 rejects it, is never read from or written to a folder others may write, and
 * NODE_DISABLE_COMPILE_CACHE turns it off. Output is the same with and without it, including the
 * paths the bundle loads lazily (a refresh: the oauth client, core's flow, HTTP).
 */
let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  // one-second tokens: a `token` run after `expired()` refreshes, through the lazily loaded client
  stack = await startStack({ as: { accessTokenTtlSeconds: 1 } });
  box = await createSandbox();
  const login = await box.run(['login', stack.mcp.url, '--name', 'demo']);
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

/** Waits until every token issued so far has expired (they live one second). */
const expired = () => new Promise((resolve) => setTimeout(resolve, 1_100));

/** A fresh cache home for one case, and the cache files the CLI wrote under it. */
async function cacheHome(name: string) {
  const home = join(box.dir, `cache-${name}`);
  await mkdir(home, { mode: 0o700 });
  const folder = join(home, 'mcp-oauth', 'v8');
  const files = async () => {
    try {
      return (await readdir(folder)).filter((f) => f.endsWith('.v8'));
    } catch {
      return [];
    }
  };
  return { home, folder, files };
}

describe('the quick commands through V8’s code cache', () => {
  it('writes the cache at the first run, private to the user, and answers alike from it', async () => {
    const cache = await cacheHome('first');
    const env = { XDG_CACHE_HOME: cache.home };
    const refreshesBefore = stack.as.stats.refreshSuccess;

    await expired();
    const first = await box.run(['token', 'demo'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const [file] = await cache.files();
    expect(file).toMatch(new RegExp(`^quick-.+-${process.version}-${process.arch}\\.v8$`));
    const path = join(cache.folder, file ?? '');
    expect((await stat(cache.folder)).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const written = await readFile(path);

    await expired();
    const second = await box.run(['token', 'demo'], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
    expect(second.stdout).toMatch(/^\S+\n$/);
    expect(second.stdout).not.toBe(first.stdout);
    // each run refreshed through the lazily loaded client, the second from the cached code
    expect(stack.as.stats.refreshSuccess - refreshesBefore).toBe(2);
    // accepted, so not rewritten
    expect(await readFile(path)).toEqual(written);
  });

  it('replaces a cache V8 rejects, and still answers', async () => {
    const cache = await cacheHome('rejected');
    const env = { XDG_CACHE_HOME: cache.home };
    expect((await box.run(['token', 'demo'], { env })).code).toBe(0);
    const [file] = await cache.files();
    const path = join(cache.folder, file ?? '');
    const garbage = Buffer.alloc(4096, 7);
    await writeFile(path, garbage);

    const run = await box.run(['token', 'demo'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\S+\n$/);
    expect(await readFile(path)).not.toEqual(garbage);
  });

  it('keeps one cache per command (each holds the functions of the run that wrote it)', async () => {
    const cache = await cacheHome('per-command');
    const env = { XDG_CACHE_HOME: cache.home };
    for (const args of [
      ['token', 'demo'],
      ['header', 'demo'],
      ['ls'],
      ['list'],
      ['show', 'demo'],
    ]) {
      const run = await box.run(args, { env });
      expect(run.code, run.stderr).toBe(0);
    }
    const names = (await cache.files()).map((file) => file.split(`-${process.version}`)[0]);
    expect(names.map((name) => name?.slice(name.lastIndexOf('-') + 1)).sort()).toEqual([
      'header',
      'list',
      'show',
      'token',
    ]);
  });

  it('neither reads nor writes a cache folder that others may write', async () => {
    const cache = await cacheHome('shared');
    await mkdir(cache.folder, { recursive: true });
    await chmod(cache.folder, 0o777);
    const run = await box.run(['token', 'demo'], { env: { XDG_CACHE_HOME: cache.home } });
    expect(run.code, run.stderr).toBe(0);
    expect(await cache.files()).toEqual([]);
  });

  it('a file rebuilt to the same length is not run from the old cache (V8 checks the length only)', async () => {
    const cache = await cacheHome('same-length');
    const env = { XDG_CACHE_HOME: cache.home };
    const file = join(box.dir, 'bundle.cjs');
    const load = () => {
      const loaded = requireWithCodeCache<{ value: string }>(
        file,
        'same-length',
        { require, lazy: (specifier) => import(specifier) },
        env,
      );
      loaded.save();
      return loaded.exports.value;
    };
    await writeFile(file, "module.exports = { value: 'old' };");
    expect(load()).toBe('old');
    expect(load()).toBe('old'); // from the cache
    await writeFile(file, "module.exports = { value: 'new' };");
    // a rebuild a second later (file systems with coarse times)
    const later = new Date(Date.now() + 2_000);
    await utimes(file, later, later);
    expect(load()).toBe('new');
    expect(load()).toBe('new');
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE', async () => {
    const cache = await cacheHome('off');
    const env = { XDG_CACHE_HOME: cache.home, NODE_DISABLE_COMPILE_CACHE: '1' };
    const run = await box.run(['token', 'demo'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(await cache.files()).toEqual([]);
  });
});
