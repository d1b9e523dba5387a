import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A store's test fixture running in a child process (real processes racing for real state). */
export interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves when stdout contains `text`; rejects on exit or after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Child processes for a store package's tests: `testDir` is the URL of its `test/` folder
 * (fixtures in `test/fixtures/`, which import the built `dist/index.js` next to it).
 */
export function childProcesses(testDir: URL, packageName: string) {
  const dist = new URL('../dist/index.js', testDir);
  return {
    /** Child processes import the built package: fail clearly when it was not built. */
    assertBuilt(): void {
      if (!existsSync(dist))
        throw new Error(
          `Run \`pnpm --filter ${packageName} build\` first: child processes use dist/.`,
        );
    },
    spawnFixture(name: string, args: string[]): Child {
      const script = fileURLToPath(new URL(`fixtures/${name}`, testDir));
      const child = spawn(process.execPath, [script, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const listeners = new Set<() => void>();
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        for (const l of listeners) l();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
        (resolve) => {
          child.on('exit', (code, signal) => {
            for (const l of listeners) l();
            resolve({ code, signal });
          });
        },
      );
      return {
        process: child,
        exited,
        output: () => stdout + stderr,
        waitFor(text, timeoutMs = 15_000) {
          return new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => done(new Error(`timed out waiting for "${text}": ${stdout}${stderr}`)),
              timeoutMs,
            );
            const check = () => {
              if (stdout.includes(text)) done();
              else if (child.exitCode !== null || child.signalCode !== null)
                done(new Error(`exited before "${text}": ${stdout}${stderr}`));
            };
            function done(error?: Error) {
              clearTimeout(timer);
              listeners.delete(check);
              if (error) reject(error);
              else resolve();
            }
            listeners.add(check);
            check();
          });
        },
      };
    },
  };
}
