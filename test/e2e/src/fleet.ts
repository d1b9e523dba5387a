import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const worker = join(dirname(fileURLToPath(import.meta.url)), '..', 'workers', 'refresh-worker.mjs');

export interface WorkerResult {
  ok: number;
  errors: string[];
  events: { refreshed: number; skipped: number; authorized: number };
}

/** Runs `count` worker processes sharing one store; resolves with each one's summary. */
export function runFleet(
  count: number,
  args: {
    serverUrl: string;
    store: 'file' | 'keychain' | 'vault' | 'redis';
    config: unknown;
    durationMs: number;
  },
): Promise<WorkerResult[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<WorkerResult>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              worker,
              args.serverUrl,
              args.store,
              JSON.stringify(args.config),
              String(args.durationMs),
            ],
            {
              stdio: ['ignore', 'pipe', 'pipe'],
              env: process.env,
            },
          );
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('exit', (code) => {
            const line = out.trim().split('\n').pop();
            if (code === 0 && line) resolve(JSON.parse(line) as WorkerResult);
            else reject(new Error(`worker exited ${code}: ${err.slice(-2000)}`));
          });
        }),
    ),
  );
}

/**
 * The most refreshes a fleet can make in `measuredMs` of wall time when each token generation
 * lives `ttlSeconds` and is refreshed at the earliest halfway through (core's proactive
 * refresh): one per half-life, plus the generation current at the start and one for clock
 * granularity. Bounded by the measured run, not the planned one: a loaded machine starts the
 * processes late and lets them run longer.
 */
export function maxRefreshes(measuredMs: number, ttlSeconds: number): number {
  const halfLifeMs = (ttlSeconds * 1000) / 2;
  return Math.ceil(measuredMs / halfLifeMs) + 2;
}
