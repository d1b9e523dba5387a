import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repeatedBody, type StaticServer, startStaticServer } from '@mcp-oauth/testing';

/** The built CLI, the `bin` of package.json (tests run what users run: build first). */
export const CLI = fileURLToPath(
  new URL(
    (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        bin: Record<string, string>;
      }
    ).bin['mcp-oauth'] ?? '',
    new URL('../', import.meta.url),
  ),
);
const TEST_SERVERS = fileURLToPath(new URL('../../testing/dist/index.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  /**
   * The store flags of this sandbox's environment (MCP_OAUTH_STORE, MCP_OAUTH_DIR), as the
   * commands the CLI tells the user to run carry them: `--store file --dir <dir>/store`.
   */
  storeFlags: string;
  /** A BROWSER program that walks consent headlessly, then GETs the callback. */
  browser: string;
  run(
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string },
  ): Promise<CliResult>;
  /** `input`: written to the CLI's standard input, then closed (default: no stdin, /dev/null). */
  start(args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string }): RunningCli;
  close(): Promise<void>;
}

export interface RunningCli {
  child: ChildProcess;
  stderrSoFar(): string;
  /** Resolves with the first match of `pattern` in stderr. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

/** A temp folder for the file store, a clean environment, and the headless browser. */
export async function createSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-oauth-cli-'));
  const browser = join(dir, 'browser.mjs');
  await writeFile(
    browser,
    `#!${process.execPath}
import { completeAuthorization } from ${JSON.stringify(TEST_SERVERS)};
const callback = await completeAuthorization(process.argv[2]);
const response = await fetch(callback);
if (!response.ok) { process.stderr.write('callback answered ' + response.status + '\\n'); process.exit(1); }
`,
  );
  await chmod(browser, 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    MCP_OAUTH_STORE: 'file',
    MCP_OAUTH_DIR: join(dir, 'store'),
    NO_COLOR: '1',
    BROWSER: browser,
  };
  const start = (
    args: string[],
    options: { env?: NodeJS.ProcessEnv; input?: string } = {},
  ): RunningCli => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    const waiters: (() => void)[] = [];
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const w of waiters) w();
    });
    const done = new Promise<CliResult>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    return {
      child,
      done,
      stderrSoFar: () => stderr,
      waitForStderr: (pattern, timeoutMs = 15_000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const match = stderr.match(pattern);
            if (match) {
              clearTimeout(timer);
              resolve(match);
            }
          };
          const timer = setTimeout(
            () => reject(new Error(`no ${pattern} in stderr:\n${stderr}`)),
            timeoutMs,
          );
          waiters.push(check);
          void done.then(() => {
            check();
            reject(new Error(`the CLI exited without ${pattern} in stderr:\n${stderr}`));
          });
          check();
        }),
    };
  };
  return {
    dir,
    env,
    storeFlags: `--store file --dir ${env.MCP_OAUTH_DIR}`,
    browser,
    start,
    async run(args, options = {}) {
      const running = start(args, options);
      const timer = setTimeout(() => running.child.kill(), options.timeoutMs ?? 30_000);
      const result = await running.done;
      clearTimeout(timer);
      return result;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** An MCP endpoint at `/big` whose resource metadata document is 2 MiB (the CLI's default limit: 256 KiB). */
export function startOversizedMetadataServer(): Promise<StaticServer> {
  return startStaticServer({
    routes: (origin) => ({
      '/big': {
        status: 401,
        headers: {
          'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/big"`,
        },
      },
      '/.well-known/oauth-protected-resource/big': { body: repeatedBody(2 * 1024 * 1024) },
    }),
  });
}
