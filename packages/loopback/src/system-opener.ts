import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { defaultOpener, type OpenerHost } from './default-opener.ts';
import { spawnDetached } from './spawn-detached.ts';

/** Opens a URL with the system's default handler and returns the launcher process. */
export type SystemOpener = (url: string) => Promise<ChildProcess>;

function readProcVersion(): string | undefined {
  try {
    return readFileSync('/proc/version', 'utf8');
  } catch {
    return undefined;
  }
}

/** This machine as `defaultOpener` sees it; `platform` may be overridden by the caller. */
export function currentOpenerHost(platform: NodeJS.Platform = process.platform): OpenerHost {
  return {
    platform,
    release: release(),
    procVersion: platform === 'linux' ? readProcVersion() : undefined,
    env: process.env,
    exists: existsSync,
  };
}

/** Starts `defaultOpener`'s argv for this machine without a shell (see `spawnDetached`). */
export function createSystemOpener(platform?: NodeJS.Platform): SystemOpener {
  return (url) => {
    const { command, args } = defaultOpener(url, currentOpenerHost(platform));
    return spawnDetached([command, ...args]);
  };
}
