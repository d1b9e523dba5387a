// One damaged record file in the store hides no other server from `list`: the server whose
// records cannot be read is listed as unreadable, with the commands that mend it.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { type McpTestServer, type Stack, startMcpServer, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

let stack: Stack;
let other: McpTestServer;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  // a second MCP server of the same authorization server: its own resource, its own tokens
  other = await startMcpServer({ authServer: stack.as });
  box = await createSandbox();
});

afterAll(async () => {
  await other?.close();
  await stack?.close();
  await box?.close();
});

/** The record files of the sandbox's file store. */
async function recordFiles(): Promise<string[]> {
  const dir = join(box.dir, 'store', 'namespaces', 'default');
  return (await readdir(dir)).filter((f) => f.endsWith('.rec')).map((f) => join(dir, f));
}

describe('list with a damaged record file', () => {
  it('lists every other server, and that one as unreadable with what to do', async () => {
    expect((await box.run(['login', stack.mcp.url, '--name', 'first'])).code).toBe(0);
    const before = new Set(await recordFiles());
    expect((await box.run(['login', other.url, '--name', 'second'])).code).toBe(0);
    const added = (await recordFiles()).filter((file) => !before.has(file));

    // damage the file of second's tokens: the one whose flipped byte makes them unreadable
    const store = fileStore({ directory: join(box.dir, 'store') });
    const [tokensKey] = (await store.list('tokens:')).filter((key) => key.endsWith(other.url));
    let damaged: string | undefined;
    for (const file of added) {
      const bytes = await readFile(file);
      const flipped = Buffer.from(bytes);
      flipped[flipped.length - 5] = (flipped[flipped.length - 5] ?? 0) ^ 0xff;
      await writeFile(file, flipped);
      const error = await store.get(String(tokensKey)).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (McpOAuthError.is(error, 'store_corrupt')) {
        damaged = file;
        break;
      }
      await writeFile(file, bytes);
    }
    expect(damaged, 'no record file held the tokens').toBeDefined();

    const listed = await box.run(['list']);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout.trim().split('\n');
    expect(rows.find((row) => row.startsWith('first '))).toMatch(/\bvalid\b/);
    expect(rows.find((row) => row.startsWith('second '))).toMatch(/\bunreadable\b/);
    expect(listed.stderr).toContain(
      `The stored records of second cannot be read (store_corrupt): log in again with \`mcp-oauth login ${other.url} --name second ${box.storeFlags}\`, or remove them with \`mcp-oauth clear second ${box.storeFlags}\`.`,
    );

    // the store's own warning about the file, once however often the store is listed
    expect(listed.stderr.match(/Skipped an unreadable record file/g)?.length ?? 0).toBe(1);

    const json = await box.run(['list', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const states = JSON.parse(json.stdout) as { name: string; state: string }[];
    expect(states.map(({ name, state }) => [name, state])).toEqual([
      ['first', 'valid'],
      ['second', 'unreadable'],
    ]);

    // what the warning says mends it
    const again = await box.run(['login', other.url, '--name', 'second']);
    expect(again.code, again.stderr).toBe(0);
    expect((await box.run(['list'])).stdout).not.toContain('unreadable');
  });
});
