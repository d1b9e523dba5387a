// MCP security best practices, "Input Sanitization": a device code's strings come from the
// authorization server. Core refuses unprintable ones; the CLI writes none to a terminal or a
// host either, whatever reached it (a record an older bridge shared, an application's state).
import { PassThrough } from 'node:stream';
import { memoryStore } from '@mcp-oauth/core';
import { UNPRINTABLE } from '@mcp-oauth/internal';
import { describe, expect, it } from 'vitest';
import { deviceInteraction } from '../../src/interactions/device.ts';
import { makeStyle, type Output } from '../../src/output.ts';
import { createProgress } from '../../src/progress.ts';
import { readPendingCode, writePendingCode } from '../../src/proxy/pending-device-code.ts';

const HOSTILE = {
  verificationUri: 'https://as.example/device\u001b]8;;https://evil.example\u0007',
  verificationUriComplete: 'https://as.example/device?c=\u009b2J',
  userCode: 'WDJB\r\u001b[2KMJHT',
};

describe('device codes written by the CLI are printable', () => {
  it('the device prompt replaces control characters before writing them (QR code included)', async () => {
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    let written = '';
    stderr.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const none = () => {};
    const out: Output = {
      data: none,
      json: none,
      info: none,
      warn: none,
      error: none,
      style: makeStyle(false),
      dataStyle: makeStyle(false),
      stderr,
    };
    const shared: unknown[] = [];
    const interaction = deviceInteraction(out, createProgress(out, { quiet: true }), {
      qr: true,
      onCode: (code) => void shared.push(code),
    });
    await interaction.prompt({ ...HOSTILE, expiresAt: Date.now() + 600_000 });
    expect(written).toContain('WDJB\uFFFD\uFFFD[2KMJHT');
    // nothing the server sent acts on the terminal: no ESC, CR, C1 control or BEL at all
    for (const control of ['\u001b', '\r', '\u009b', '\u0007'])
      expect(written).not.toContain(control);
    // what the bridge shares with other bridges and hosts is the printable form too
    expect(shared).toHaveLength(1);
    const code = shared[0] as typeof HOSTILE;
    for (const value of [code.verificationUri, code.verificationUriComplete, code.userCode])
      expect(UNPRINTABLE.test(value)).toBe(false);
  });

  it('a code shared through the store is read back printable', async () => {
    const store = memoryStore();
    await writePendingCode(store, 'https://mcp.example/mcp', {
      ...HOSTILE,
      expiresAt: Date.now() + 600_000,
    });
    const code = await readPendingCode(store, 'https://mcp.example/mcp');
    expect(code).toBeDefined();
    for (const value of [code?.verificationUri, code?.verificationUriComplete, code?.userCode])
      expect(UNPRINTABLE.test(value as string)).toBe(false);
    expect(code?.userCode).toBe('WDJB\uFFFD\uFFFD[2KMJHT');
  });
});
