import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServerOptions {
  /**
   * Keep data across restarts: append-only file, fsync before every reply
   * (`--appendonly yes --appendfsync always`), so an acknowledged write survives SIGKILL.
   * Default false: `--save '' --appendonly no`, nothing on disk.
   */
  persistent?: boolean;
  /** Start as a read-only replica of the Redis on this port (`--replicaof 127.0.0.1 <port>`). */
  replicaOf?: number;
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The running process's id, or undefined while stopped. */
  readonly pid: number | undefined;
  /** Sends `signal` (default SIGKILL) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and folder (after `kill`). */
  restart(): Promise<void>;
  /** Stops it (SIGTERM) and removes its folder. */
  close(): Promise<void>;
}

const READY = /Ready to accept connections/;

/** Throws, saying how to install it, when `redis-server` is not on the PATH. */
export function assertRedisInstalled(): void {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not installed: run `bash scripts/setup-redis.sh` (Debian: apt-get install redis-server).',
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function launch(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within 15 s:\n${log.slice(-2000)}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (READY.test(log)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${log.slice(-2000)}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts a private `redis-server` on a free 127.0.0.1 port, in its own temporary folder,
 * without a system service. Close it after the tests.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  assertRedisInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'mcp-oauth-redis-'));
  const persistence = options.persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '']
    : ['--save', '', '--appendonly', 'no'];
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--daemonize',
      'no',
      '--dir',
      dir,
      '--logfile',
      '',
      '--repl-diskless-sync-delay',
      '0',
      ...persistence,
      ...(options.replicaOf ? ['--replicaof', '127.0.0.1', String(options.replicaOf)] : []),
    ];
    try {
      child = await launch(args);
      break;
    } catch (error) {
      // Another process may have taken the port between our probe and redis binding it.
      if (attempt >= 3) throw error;
    }
  }
  const argsOf = () => child?.spawnargs.slice(1) ?? [];
  const savedArgs = argsOf();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    async kill(signal = 'SIGKILL') {
      if (!child) return;
      const done = exited(child);
      child.kill(signal);
      await done;
    },
    async restart() {
      if (child && child.exitCode === null && child.signalCode === null) {
        throw new Error('redis-server is still running: kill it first');
      }
      child = await launch(savedArgs);
    },
    async close() {
      if (child) {
        const done = exited(child);
        child.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
