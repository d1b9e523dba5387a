import { posix, win32 } from 'node:path';

/** A program and its arguments, to be started without a shell. */
export interface OpenerCommand {
  command: string;
  args: string[];
}

/** What the choice of the system opener depends on; the caller reads it from the machine. */
export interface OpenerHost {
  platform: NodeJS.Platform;
  /** `os.release()`. */
  release: string;
  /** The contents of `/proc/version` on Linux, when readable. */
  procVersion?: string | undefined;
  /** Read for `PATH` (WSL) and `SystemRoot` (Windows). */
  env: Readonly<Record<string, string | undefined>>;
  /** Whether a file exists at this path. */
  exists: (path: string) => boolean;
}

const MENTIONS_WSL = /microsoft|wsl/i;

/** WSL: Linux on a kernel whose release or `/proc/version` mentions Microsoft or WSL. */
export function isWsl(host: Pick<OpenerHost, 'platform' | 'release' | 'procVersion'>): boolean {
  return (
    host.platform === 'linux' &&
    (MENTIONS_WSL.test(host.release) || MENTIONS_WSL.test(host.procVersion ?? ''))
  );
}

/** Where WSL mounts the Windows system drive by default. */
export const WSL_RUNDLL32 = '/mnt/c/Windows/System32/rundll32.exe';

const FILE_PROTOCOL_HANDLER = 'url.dll,FileProtocolHandler';

function findOnPath(name: string, host: OpenerHost): string | undefined {
  for (const dir of (host.env.PATH ?? '').split(posix.delimiter)) {
    if (dir === '') continue;
    const candidate = posix.join(dir, name);
    if (host.exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The argv that opens an http(s) URL with the platform's default handler, never through a
 * shell: `open` on macOS; on Windows `rundll32.exe url.dll,FileProtocolHandler` (which hands
 * the URL to `ShellExecute`, not to cmd.exe or PowerShell); on WSL the same Windows
 * `rundll32.exe`, reached through `/mnt/c` or `PATH`, else `xdg-open` (a container on a WSL
 * kernel, WSLg); `xdg-open` on Linux and the BSDs. The URL is always one argument of its own.
 *
 * `wslview` is deliberately not used: it runs PowerShell `Start "<url>"`, where `$(...)` in
 * the URL would be evaluated.
 */
export function defaultOpener(url: string, host: OpenerHost): OpenerCommand {
  if (host.platform === 'darwin') return { command: 'open', args: [url] };
  if (host.platform === 'win32') {
    const systemRoot = host.env.SystemRoot ?? host.env.SYSTEMROOT;
    const command = systemRoot
      ? win32.join(systemRoot, 'System32', 'rundll32.exe')
      : 'rundll32.exe';
    return { command, args: [FILE_PROTOCOL_HANDLER, url] };
  }
  if (isWsl(host)) {
    const rundll32 = host.exists(WSL_RUNDLL32) ? WSL_RUNDLL32 : findOnPath('rundll32.exe', host);
    if (rundll32 !== undefined) return { command: rundll32, args: [FILE_PROTOCOL_HANDLER, url] };
  }
  return { command: 'xdg-open', args: [url] };
}
