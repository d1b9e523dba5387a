import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOAuthClient } from '@mcp-oauth/core';
import { redisStore } from '@mcp-oauth/store-redis';
import { freePort, type RedisServer, startRedisServer } from '@mcp-oauth/test-redis-server';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createSandbox, type Sandbox } from './helpers.ts';

/** `--store redis`: a real redis-server, shared with a service using @mcp-oauth/store-redis. */
let stack: Stack;
let redis: RedisServer;
let box: Sandbox;
const key = randomBytes(32).toString('base64');
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  [stack, redis, box] = await Promise.all([startStack(), startRedisServer(), createSandbox()]);
  env = { MCP_OAUTH_STORE: 'redis', MCP_OAUTH_REDIS_URL: redis.url, MCP_OAUTH_REDIS_KEY: key };
});

afterAll(async () => {
  await Promise.all([stack?.close(), redis?.close(), box?.close()]);
});

/** Every value in the Redis (strings and hash fields), as the server holds them. */
function everythingInRedis(): string {
  return execFileSync(
    'redis-cli',
    [
      '-p',
      String(redis.port),
      'EVAL',
      `local out = {}
       for _, k in ipairs(redis.call('KEYS', '*')) do
         table.insert(out, k)
         if redis.call('TYPE', k).ok == 'hash' then
           for _, v in ipairs(redis.call('HGETALL', k)) do table.insert(out, v) end
         else table.insert(out, redis.call('GET', k)) end
       end
       return out`,
      '0',
    ],
    { encoding: 'utf8' },
  );
}

const lastJson = (text: string) => JSON.parse(text.trim().split('\n').at(-1) ?? '');

describe('--store redis against a real redis-server', () => {
  it('login, list, show, token and header keep everything in Redis, encrypted', async () => {
    const login = await box.run(['login', stack.mcp.url, '--name', 'fleet'], { env });
    expect(login.code, login.stderr).toBe(0);
    const list = await box.run(['list', '--json'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'fleet', state: 'valid' }]);
    const show = JSON.parse((await box.run(['show', 'fleet', '--json'], { env })).stdout);
    expect(show.store).toMatch(/^redis/);
    const token = (await box.run(['token', 'fleet'], { env })).stdout.trim();
    expect(token.length).toBeGreaterThan(20);
    const header = await box.run(['header', 'fleet'], { env });
    expect(header.stdout).toBe(`Authorization: Bearer ${token}\n`);
    // nothing in the file store; in Redis, neither the token nor the server URL in clear
    expect((await box.run(['--store', 'file', 'list', '--json'])).stdout.trim()).toBe('[]');
    const raw = everythingInRedis();
    expect(raw).toMatch(/mcp-oauth:\{default\}/);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(stack.mcp.url);
  });

  it('a service on @mcp-oauth/store-redis with the same key and namespace uses the same tokens', async () => {
    const token = (await box.run(['token', 'fleet'], { env })).stdout.trim();
    const store = redisStore({ url: redis.url, encryptionKey: key });
    try {
      const oauth = createOAuthClient({ serverUrl: stack.mcp.url, store });
      const authorizations = stack.as.stats.authorizations;
      expect(await oauth.getAccessToken()).toBe(token);
      expect(stack.as.stats.authorizations).toBe(authorizations);
    } finally {
      await store.close();
    }
  });

  it('test and status reach the MCP server; --namespace keeps another set; clear empties it', async () => {
    expect((await box.run(['test', 'fleet'], { env })).code).toBe(0);
    expect((await box.run(['status', 'fleet'], { env })).code).toBe(0);
    const other = await box.run(['--namespace', 'tenant-b', 'list', '--json'], { env });
    expect(other.stdout.trim()).toBe('[]');
    const clear = await box.run(['clear', 'fleet'], { env });
    expect(clear.code, clear.stderr).toBe(0);
    expect(JSON.parse((await box.run(['list', '--json'], { env })).stdout)).toEqual([]);
  });

  it('migrate copies a file store login into Redis', async () => {
    expect(
      (await box.run(['--store', 'file', 'login', stack.mcp.url, '--name', 'moved'])).code,
    ).toBe(0);
    const migrate = await box.run(
      ['migrate', '--from', 'file', '--to', 'redis', '--keep', '--json'],
      {
        env,
      },
    );
    expect(migrate.code, migrate.stderr).toBe(0);
    const moved = JSON.parse((await box.run(['list', '--json'], { env })).stdout);
    expect(moved).toMatchObject([{ name: 'moved', state: 'valid' }]);
    expect((await box.run(['token', 'moved'], { env })).code).toBe(0);
  });

  it('stores shows redis as available and in use, the URL without its password', async () => {
    const url = redis.url.replace('redis://', 'redis://user:pa55word@');
    const result = await box.run(['stores', '--json'], {
      env: { ...env, MCP_OAUTH_REDIS_URL: url },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('pa55word');
    expect(JSON.parse(result.stdout)).toMatchObject({ selected: 'redis', inUse: 'redis' });
    expect(JSON.parse(result.stdout).backends).toContainEqual(
      expect.objectContaining({ kind: 'redis', available: true, inUse: true }),
    );
  });
});

describe('--store redis: settings and failures', () => {
  it('without MCP_OAUTH_REDIS_URL or MCP_OAUTH_REDIS_KEY, or a key that is not 32 bytes: exit 2 naming the variable', async () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ MCP_OAUTH_REDIS_URL: '' }, /needs MCP_OAUTH_REDIS_URL/],
      [{ MCP_OAUTH_REDIS_KEY: '' }, /needs MCP_OAUTH_REDIS_KEY/],
      [
        { MCP_OAUTH_REDIS_KEY: randomBytes(16).toString('base64') },
        /MCP_OAUTH_REDIS_KEY is not the base64 of 32 bytes/,
      ],
      [{ MCP_OAUTH_REDIS_URL: 'http://example.com' }, /MCP_OAUTH_REDIS_URL/],
    ];
    for (const [change, message] of cases) {
      const result = await box.run(['list', '--json'], { env: { ...env, ...change } });
      expect(result.code, result.stderr).toBe(2);
      const error = lastJson(result.stderr).error;
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/ option\b/);
    }
    expect(
      lastJson(
        (await box.run(['list', '--json'], { env: { ...env, MCP_OAUTH_REDIS_KEY: '' } })).stderr,
      ).error.code,
    ).toBe('store_not_configured');
  });

  it('another key than the namespace was created with: store_wrong_key, exit 5, naming MCP_OAUTH_REDIS_KEY', async () => {
    const result = await box.run(['list', '--json'], {
      env: { ...env, MCP_OAUTH_REDIS_KEY: randomBytes(32).toString('base64') },
    });
    expect(result.code, result.stderr).toBe(5);
    const error = lastJson(result.stderr).error;
    expect(error).toMatchObject({ code: 'store_wrong_key', exitCode: 5 });
    expect(error.message).toContain('MCP_OAUTH_REDIS_KEY');
    expect(error.message).not.toContain('encryptionKey');
  });

  it('no Redis listening: store_unavailable, exit 5, naming MCP_OAUTH_REDIS_URL', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const result = await box.run(['token', 'moved', '--json'], {
      env: { ...env, MCP_OAUTH_REDIS_URL: url },
    });
    expect(result.code, result.stderr).toBe(5);
    const error = lastJson(result.stderr).error;
    expect(error).toMatchObject({ code: 'store_unavailable', exitCode: 5 });
    expect(error.message).toContain('MCP_OAUTH_REDIS_URL');
    const plain = await box.run(['list'], { env: { ...env, MCP_OAUTH_REDIS_URL: url } });
    expect(plain.code).toBe(5);
    expect(plain.stderr).toMatch(/Could not reach Redis .*\[store_unavailable\]/);
  });

  it('a Redis that wants a password: store_auth_failed, exit 5, the password never shown', async () => {
    const password = 'not-the-pa55word';
    execFileSync('redis-cli', [
      '-p',
      String(redis.port),
      'CONFIG',
      'SET',
      'requirepass',
      'the-pa55word',
    ]);
    try {
      const url = redis.url.replace('redis://', `redis://default:${password}@`);
      const result = await box.run(['list', '--json'], {
        env: { ...env, MCP_OAUTH_REDIS_URL: url },
      });
      expect(result.code, result.stderr).toBe(5);
      expect(lastJson(result.stderr).error.code).toBe('store_auth_failed');
      expect(result.stderr).not.toContain(password);
      expect(result.stderr).toContain('MCP_OAUTH_REDIS_URL');
    } finally {
      execFileSync('redis-cli', [
        '-p',
        String(redis.port),
        '-a',
        'the-pa55word',
        '--no-auth-warning',
        'CONFIG',
        'SET',
        'requirepass',
        '',
      ]);
    }
  });
});

describe('@mcp-oauth/store-redis is optional and loaded lazily', () => {
  it('commands on other stores never load it', async () => {
    // a resolve hook that fails any attempt to load the package: the file store works all the same
    const hooks = join(box.dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  if (specifier === '@mcp-oauth/store-redis' || specifier.startsWith('@redis/'))
    throw new Error('loaded ' + specifier);
  return next(specifier, context);
}\n`,
    );
    const register = join(box.dir, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
    );
    const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
      try {
        return {
          code: 0,
          stderr: execFileSync(process.execPath, ['--import', register, CLI, ...args], {
            env: { ...box.env, ...extra },
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        };
      } catch (error) {
        const e = error as { status: number; stderr: string };
        return { code: e.status, stderr: e.stderr };
      }
    };
    expect(run(['--store', 'file', 'list']).code).toBe(0);
    expect(run(['--store', 'file', 'token', 'moved']).code).toBe(0);
    // and the hook does stop it: --store redis fails to load it
    const redisRun = run(['list'], env);
    expect(redisRun.code).not.toBe(0);
    expect(redisRun.stderr).toContain('loaded @mcp-oauth/store-redis');
  });

  it('not installed: store_package_missing, exit 5, naming the package to install', async () => {
    // the built CLI beside its dependencies, all but @mcp-oauth/store-redis
    const app = join(box.dir, 'installed');
    const modules = join(app, 'node_modules');
    mkdirSync(join(modules, '@mcp-oauth'), { recursive: true });
    cpSync(fileURLToPath(new URL('../dist', import.meta.url)), join(app, 'dist'), {
      recursive: true,
    });
    cpSync(fileURLToPath(new URL('../package.json', import.meta.url)), join(app, 'package.json'));
    const own = fileURLToPath(new URL('../node_modules', import.meta.url));
    for (const entry of readdirSync(own)) {
      if (entry.startsWith('.')) continue;
      if (entry === '@mcp-oauth') {
        for (const pkg of readdirSync(join(own, entry)))
          if (pkg !== 'store-redis') symlinkSync(join(own, entry, pkg), join(modules, entry, pkg));
      } else symlinkSync(join(own, entry), join(modules, entry));
    }
    const cli = join(app, 'dist', 'index.js');
    const run = (args: string[]) => {
      try {
        execFileSync(process.execPath, [cli, ...args], {
          env: { ...box.env, ...env },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return { code: 0, stdout: '', stderr: '' };
      } catch (error) {
        return error as { status: number; stdout: string; stderr: string };
      }
    };
    const failed = run(['list', '--json']) as { status: number; stderr: string };
    expect(failed.status).toBe(5);
    const error = lastJson(failed.stderr).error;
    expect(error).toMatchObject({ code: 'store_package_missing', exitCode: 5 });
    expect(error.message).toContain('npm install -g @mcp-oauth/cli @mcp-oauth/store-redis');
    const stores = execFileSync(process.execPath, [cli, 'stores', '--json'], {
      env: { ...box.env, ...env },
      encoding: 'utf8',
    });
    expect(JSON.parse(stores).backends).toContainEqual(
      expect.objectContaining({ kind: 'redis', available: false }),
    );
    expect(stores).toContain('@mcp-oauth/store-redis is not installed');
  });
});
