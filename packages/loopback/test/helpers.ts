import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One GET on a fresh connection (no keep-alive pool), optionally with another Host header. */
export function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mcp-oauth-loopback-'));
}

/**
 * Writes an executable node script that plays the browser: it records its argv, then reads
 * `redirect_uri` and `state` from the URL it was given and performs the callback GET.
 */
export async function fakeBrowser(dir: string, callbackQuery = 'code=the-code'): Promise<string> {
  const script = join(dir, 'fake-browser.mjs');
  const source = `#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
writeFileSync(${JSON.stringify(join(dir, 'argv.json'))}, JSON.stringify(args));
const target = new URL(args.find((a) => a.startsWith('http')));
const redirect = target.searchParams.get('redirect_uri');
const state = target.searchParams.get('state');
if (redirect) {
  const res = await fetch(redirect + '?' + ${JSON.stringify(callbackQuery)} + '&state=' + encodeURIComponent(state));
  writeFileSync(${JSON.stringify(join(dir, 'result.json'))}, JSON.stringify({ status: res.status, body: await res.text() }));
}
`;
  await writeFile(script, source);
  await chmod(script, 0o755);
  return script;
}

export async function readJson<T>(path: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as T;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
