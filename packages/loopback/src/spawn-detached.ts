import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Starts one argv without a shell (`shell: false`: the arguments reach the program as they
 * are, nothing is parsed or expanded), detached, with stdio ignored and no console window on
 * Windows. Resolves once the process exists; rejects when it cannot be started (`ENOENT`,
 * `EACCES`).
 */
export function spawnDetached(argv: readonly string[]): Promise<ChildProcess> {
  const [program, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(program as string, args, {
      shell: false,
      stdio: 'ignore',
      detached: true,
      windowsHide: true,
    });
    child.once('error', reject);
    child.once('spawn', () => {
      child.off('error', reject);
      child.unref();
      resolve(child);
    });
  });
}
