import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface LaunchedGateway {
  /** The proxy's URL: what users open. */
  url: string;
  /** Everything the launcher and both processes printed. */
  output(): string;
  stop(): Promise<void>;
}

const main = join(import.meta.dirname, '..', 'dist', 'main.js');

/** Runs the README's one command (`node dist/main.js`) and waits for its URL. */
export async function launchGateway(env: Record<string, string>): Promise<LaunchedGateway> {
  if (!existsSync(main)) throw new Error('dist/main.js is missing: run `pnpm build` first');
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /MCP web gateway: (http:\/\/\S+)/.exec(output);
      if (found?.[1]) {
        clearInterval(timer);
        resolve(found[1]);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`the gateway exited:\n${output}`));
      }
    }, 50);
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
