import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = resolve(here, '../..');
export const WITH_KEYRING = resolve(PACKAGE_DIR, 'scripts/with-keyring.sh');
export const fixture = (name: string) => resolve(PACKAGE_DIR, 'test/fixtures', name);

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Runs a command to completion (killed after `killAfterMs`, so a test can never hang). */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  killAfterMs = 20_000,
): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

/** The last line of a child's stdout, parsed as JSON. */
export function lastJson<T>(result: ChildResult): T {
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(
      `child printed no JSON (code ${result.code}): ${result.stdout}\n${result.stderr}`,
    );
  }
}

/** process.env without the session bus: as in an ssh login or a container. */
export function envWithoutBus(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  return { ...env, ...extra };
}

let counter = 0;
/** A namespace no other test uses. */
export function uniqueNamespace(label: string): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}
