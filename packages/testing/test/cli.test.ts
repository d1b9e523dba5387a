import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Json } from './helpers.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

async function start(): Promise<{ child: ChildProcessWithoutNullStreams; line: Json }> {
  if (!existsSync(CLI)) {
    throw new Error('dist/cli.js is missing: run `pnpm --filter @mcp-oauth/testing build`');
  }
  const child = spawn(process.execPath, [CLI], { stdio: 'pipe' });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`cli exited with ${code}`)));
  });
  return { child, line: JSON.parse(first) as Json };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('mcp-oauth-test-servers (bin)', () => {
  it('prints one JSON line with live servers and exits when stdin closes', async () => {
    const { child, line } = await start();
    try {
      expect(line).toMatchObject({
        issuer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        mcpUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/),
      });
      const meta = (await (
        await fetch(`${String(line.issuer)}/.well-known/oauth-authorization-server`)
      ).json()) as Json;
      expect(meta.issuer).toBe(line.issuer);
      const unauthorized = await fetch(String(line.mcpUrl), { method: 'POST', body: '{}' });
      expect(unauthorized.status).toBe(401);
      const stats = (await (await fetch(`${String(line.controlUrl)}/stats`)).json()) as {
        mcp: { unauthorized: number };
      };
      expect(stats.mcp.unauthorized).toBe(1);
    } finally {
      const exit = exited(child);
      child.stdin.end();
      expect(await exit).toBe(0);
    }
  });

  it('exits on SIGTERM', async () => {
    const { child } = await start();
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
