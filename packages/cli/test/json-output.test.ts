import { type Stack, type StaticServer, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, startOversizedMetadataServer } from './helpers.ts';

/** `--json`: every data document carries schemaVersion; errors are one JSON document on stderr. */
let stack: Stack;
let stat: StaticServer;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  stat = await startOversizedMetadataServer();
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await stat?.close();
  await box?.close();
});

/** The error document: the last line of stderr. */
function errorDocument(stderr: string): unknown {
  return JSON.parse(stderr.trimEnd().split('\n').at(-1) ?? '');
}

describe('--json data documents carry schemaVersion', () => {
  it('login, list, show, token, test, refresh, inspect', async () => {
    const login = await box.run(['login', stack.mcp.url, '--name', 'demo', '--json']);
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ schemaVersion: 1, name: 'demo' });
    for (const args of [
      ['show', 'demo'],
      ['token', 'demo'],
      ['test', 'demo'],
      ['refresh', 'demo'],
      ['inspect', stack.mcp.url],
    ]) {
      const result = await box.run([...args, '--json']);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout), args.join(' ')).toMatchObject({ schemaVersion: 1 });
    }
    const list = await box.run(['list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ schemaVersion: 1, name: 'demo', state: 'valid' }),
    ]);
  });
});

describe('--json errors on stderr', () => {
  it('a usage error', async () => {
    const result = await box.run(['list', '--json', '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toEqual({
      schemaVersion: 1,
      error: { code: 'usage', message: "unknown option '--no-such-flag'", exitCode: 2 },
    });
  });

  it('login needed: an unknown name', async () => {
    const result = await box.run(['token', 'nobody', '--json']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(errorDocument(result.stderr)).toEqual({
      schemaVersion: 1,
      error: {
        code: 'unknown_name',
        message: expect.stringContaining('mcp-oauth login <url> --name nobody'),
        exitCode: 3,
      },
    });
  });

  it('an error naming a library option carries the flag that sets it', async () => {
    const result = await box.run(['login', `${stat.url}/big`, '--no-browser', '--json']);
    expect(result.code, result.stderr).toBe(4);
    const document = errorDocument(result.stderr) as { error: Record<string, unknown> };
    expect(document).toMatchObject({
      schemaVersion: 1,
      error: { code: 'response_too_large', exitCode: 4, flag: '--max-response-bytes' },
    });
    expect(document.error.message).toContain('--max-response-bytes <n>');
    expect(document.error.message).not.toMatch(/maxResponseBytes/);
  });

  it('without --json, errors stay text', async () => {
    const result = await box.run(['token', 'nobody']);
    expect(result.stderr).toMatch(/^error: No server is named "nobody"/);
  });

  it('a name one typo from a known one: did you mean it', async () => {
    // "demo" was logged in above
    const result = await box.run(['token', 'dmeo']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No server is named "dmeo"');
    expect(result.stderr).toContain('Did you mean "demo"?');
  });
});
