import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createOAuthClient } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBridge } from '../../src/bridge/index.ts';
import { createSandbox, type Sandbox } from '../helpers.ts';
import { textOf } from './bridge-client.ts';

let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  box = await createSandbox();
  const login = await box.run(['login', stack.mcp.url, '--name', 'embedded']);
  if (login.code !== 0) throw new Error(login.stderr);
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

/** The host's end of an in-process stdio pair (what StdioClientTransport does over a child's pipes). */
function hostTransport(toBridge: PassThrough, fromBridge: PassThrough): Transport {
  const buffer = new ReadBuffer();
  const transport: Transport = {
    async start() {
      fromBridge.on('data', (chunk: Buffer) => {
        buffer.append(chunk);
        for (let message = buffer.readMessage(); message; message = buffer.readMessage())
          transport.onmessage?.(message);
      });
    },
    async send(message: JSONRPCMessage) {
      toBridge.write(serializeMessage(message));
    },
    async close() {
      toBridge.end();
      transport.onclose?.();
    },
  };
  return transport;
}

describe('runBridge (@mcp-oauth/cli/bridge): the bridge embedded in an app', () => {
  it('bridges streams given by the app with its own OAuth client, until stdin ends', async () => {
    const store = fileStore({ directory: join(box.dir, 'store') });
    const oauth = createOAuthClient({ serverUrl: stack.mcp.url, store });
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const lines: string[] = [];
    const bridged = runBridge({
      serverUrl: stack.mcp.url,
      oauth,
      stdin,
      stdout,
      log: (level, message) => lines.push(`${level}: ${message}`),
    });
    const client = new Client({ name: 'embedding-app', version: '0.0.0' });
    await client.connect(hostTransport(stdin, stdout));
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } }))).toBe('42');
    await client.close();
    const result = await bridged;
    expect(result).toMatchObject({ reason: 'stdin_closed', transport: 'streamable-http' });
    expect(result.forwarded.toRemote).toBeGreaterThanOrEqual(3);
    expect(lines.join('\n')).toContain('connected to');
    await store.close?.();
  });
});
