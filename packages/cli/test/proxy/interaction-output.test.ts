import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceInteraction } from '../../src/interactions/device.ts';
import { createOutput } from '../../src/output.ts';
import { createProgress } from '../../src/progress.ts';
import { interactionOutput } from '../../src/proxy/interaction-output.ts';
import { createProxyLog } from '../../src/proxy/logger.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A bridge's log as `proxy` makes it, into a stderr and a --debug file of the test's own. */
async function bridgeLog(options: { silent: boolean }) {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-oauth-interaction-output-'));
  dirs.push(dir);
  const file = join(dir, 'logs', 'proxy-demo.log');
  const stderr = new PassThrough();
  let written = '';
  stderr.on('data', (chunk: Buffer) => {
    written += chunk.toString();
  });
  const log = createProxyLog({ silent: options.silent, debug: true, file, stderr });
  const out = interactionOutput(createOutput(), log);
  return { out, file, stderr: () => written };
}

/** Shows a device code the way a bridge's login does (the CLI's device interaction). */
async function promptDeviceCode(out: ReturnType<typeof createOutput>) {
  const progress = createProgress(out, { quiet: false });
  const interaction = deviceInteraction(out, progress, { qr: true });
  await interaction.prompt({
    verificationUri: 'https://as.example/device',
    verificationUriComplete: 'https://as.example/device?user_code=WDJB-MJHT',
    userCode: 'WDJB-MJHT',
    expiresAt: Date.now() + 600_000,
  });
}

describe("the output of a bridge's login", () => {
  it('puts every line of a device code prompt through the log: prefixed, plain, and in the file', async () => {
    const bridge = await bridgeLog({ silent: false });
    await promptDeviceCode(bridge.out);
    const lines = bridge.stderr().trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^\[mcp-oauth proxy \d+\] To sign in, open https:\/\/as\.example\/device$/,
      ),
      expect.stringMatching(/^\[mcp-oauth proxy \d+\] and enter the code: WDJB-MJHT$/),
      expect.stringMatching(
        /^\[mcp-oauth proxy \d+\] \(or open https:\/\/as\.example\/device\?user_code=WDJB-MJHT\)$/,
      ),
      expect.stringMatching(/^\[mcp-oauth proxy \d+\] Waiting for approval \(the code expires in /),
    ]);
    // no colors, no QR code: a log's lines
    expect(bridge.stderr()).not.toContain('\u001B[');
    const logged = await readFile(bridge.file, 'utf8');
    expect(logged).toContain('and enter the code: WDJB-MJHT');
    expect(logged).toContain('Waiting for approval');
    expect((await stat(bridge.file)).mode & 0o777).toBe(0o600);
  });

  it('with --silent, still shows what the person must do, but not the progress', async () => {
    const bridge = await bridgeLog({ silent: true });
    await promptDeviceCode(bridge.out);
    expect(bridge.stderr()).toContain('and enter the code: WDJB-MJHT');
    expect(bridge.stderr()).not.toContain('Waiting for approval');
    // the file has both
    expect(await readFile(bridge.file, 'utf8')).toContain('Waiting for approval');
  });
});
