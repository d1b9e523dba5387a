import { spawn } from 'node:child_process';
import type { McpOAuthError } from '@mcp-oauth/core/store';
import { keyringModulePath } from './keyring.ts';
import {
  classifyNativeError,
  type KeychainUnavailableReason,
  unavailableError,
} from './unavailable.ts';

/**
 * What `KeychainStore.probe()` found: the OS credential store works here, or why it does not.
 *
 * @example
 * ```ts
 * import { type KeychainProbeResult, keychainStore } from '@mcp-oauth/store-keychain';
 *
 * const result: KeychainProbeResult = await keychainStore().probe();
 * console.log(result.available ? 'keychain usable' : `${result.reason}: ${result.error.message}`);
 * ```
 */
export type KeychainProbeResult =
  | {
      /** An entry was written, read back and deleted. */
      readonly available: true;
      /** How long the probe took, in ms. */
      readonly elapsedMs: number;
    }
  | {
      /** The credential store cannot be used here. */
      readonly available: false;
      /** Why not. */
      readonly reason: KeychainUnavailableReason;
      /** A `store_unavailable` error whose message says what to do. */
      readonly error: McpOAuthError;
      /** How long the probe took, in ms. */
      readonly elapsedMs: number;
    };

/**
 * Runs in a child process: writes, reads back and deletes one entry. A native call may block
 * for good (a bus that never answers, a keyring waiting on a prompt nobody sees), and only a
 * separate process can be stopped then. Writing is the only reliable check: on a locked
 * Secret Service, reads report "not found" instead of failing.
 */
const CHILD_SCRIPT = `
const [modulePath, service, account] = process.argv.slice(1);
const out = (value) => process.stdout.write(JSON.stringify(value));
try {
  const { Entry } = require(modulePath);
  const entry = new Entry(service, account, { linux: { store: 'secret-service' } });
  const value = Buffer.from('probe ' + process.pid + ' ' + Date.now());
  entry.setSecret(value);
  const back = entry.getSecret();
  entry.deleteCredential();
  if (!back || !Buffer.from(back).equals(value)) {
    out({ ok: false, message: 'The entry written by the probe did not read back.' });
  } else {
    out({ ok: true });
  }
} catch (error) {
  out({ ok: false, message: String(error && error.message || error) });
}
`;

export async function probeKeychain(
  service: string,
  account: string,
  timeoutMs: number,
): Promise<KeychainProbeResult> {
  const started = Date.now();
  const unavailable = (reason: KeychainUnavailableReason, cause: unknown): KeychainProbeResult => ({
    available: false,
    reason,
    error: unavailableError(reason, service, cause, { probeTimeoutMs: timeoutMs }),
    elapsedMs: Date.now() - started,
  });

  let modulePath: string;
  try {
    modulePath = keyringModulePath();
  } catch (error) {
    return unavailable('unsupported-platform', error);
  }

  const outcome = await new Promise<{ ok: boolean; message?: string } | 'timeout' | Error>(
    (resolve) => {
      let stdout = '';
      let settled = false;
      const finish = (value: { ok: boolean; message?: string } | 'timeout' | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      };
      const child = spawn(process.execPath, ['-e', CHILD_SCRIPT, modulePath, service, account], {
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        windowsHide: true,
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish('timeout');
      }, timeoutMs);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.on('error', (error) => finish(error));
      child.on('close', (code, signal) => {
        try {
          finish(JSON.parse(stdout) as { ok: boolean; message?: string });
        } catch {
          finish(
            new Error(
              `The keychain probe exited without an answer (code ${code}, signal ${signal}).`,
            ),
          );
        }
      });
    },
  );

  if (outcome === 'timeout') {
    return unavailable(
      'timeout',
      new Error(`The keychain probe did not finish within ${timeoutMs} ms.`),
    );
  }
  if (outcome instanceof Error) return unavailable('error', outcome);
  if (outcome.ok) return { available: true, elapsedMs: Date.now() - started };
  const cause = new Error(outcome.message ?? 'unknown failure');
  return unavailable(classifyNativeError(cause) ?? 'error', cause);
}
