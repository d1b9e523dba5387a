import { describe, expect, it } from 'vitest';
import { defaultOpener, isWsl, type OpenerHost, WSL_RUNDLL32 } from '../src/default-opener.ts';

/** A URL with shell syntax in it: it must stay one argv element, untouched. */
const URL_WITH_SHELL_SYNTAX = 'https://as.example/authorize?a=1&b=$(calc)|x;y&c=`id`';
const SHELLS = /\bcmd(\.exe)?\b|powershell|pwsh|\bsh\b|\bbash\b|wslview|explorer/i;

const host = (overrides: Partial<OpenerHost>): OpenerHost => ({
  platform: 'linux',
  release: '6.8.0-45-generic',
  procVersion: 'Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) (gcc 13.2.0) #45-Ubuntu',
  env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
  exists: () => false,
  ...overrides,
});

const everyWord = (command: { command: string; args: string[] }) => [
  command.command,
  ...command.args,
];

describe('defaultOpener', () => {
  it('win32: rundll32.exe url.dll,FileProtocolHandler from SystemRoot, the URL one argument, no shell', () => {
    const opener = defaultOpener(
      URL_WITH_SHELL_SYNTAX,
      host({ platform: 'win32', release: '10.0.22631', env: { SystemRoot: 'C:\\WINDOWS' } }),
    );
    expect(opener).toEqual({
      command: 'C:\\WINDOWS\\System32\\rundll32.exe',
      args: ['url.dll,FileProtocolHandler', URL_WITH_SHELL_SYNTAX],
    });
    for (const word of everyWord(opener)) expect(word).not.toMatch(SHELLS);
  });

  it('win32 without SystemRoot: rundll32.exe by name, same arguments', () => {
    const opener = defaultOpener(
      URL_WITH_SHELL_SYNTAX,
      host({ platform: 'win32', release: '10.0.22631', env: {} }),
    );
    expect(opener).toEqual({
      command: 'rundll32.exe',
      args: ['url.dll,FileProtocolHandler', URL_WITH_SHELL_SYNTAX],
    });
  });

  it('darwin: open with the URL as its only argument', () => {
    expect(
      defaultOpener(URL_WITH_SHELL_SYNTAX, host({ platform: 'darwin', release: '23.6.0' })),
    ).toEqual({ command: 'open', args: [URL_WITH_SHELL_SYNTAX] });
  });

  it('linux and the BSDs: xdg-open with the URL as its only argument, even where rundll32.exe exists', () => {
    for (const platform of ['linux', 'freebsd', 'openbsd'] as const) {
      expect(defaultOpener(URL_WITH_SHELL_SYNTAX, host({ platform, exists: () => true }))).toEqual({
        command: 'xdg-open',
        args: [URL_WITH_SHELL_SYNTAX],
      });
    }
  });

  it('WSL: the Windows rundll32.exe under /mnt/c, not wslview (PowerShell) even when it is on PATH', () => {
    const present = new Set([WSL_RUNDLL32, '/usr/bin/wslview']);
    for (const release of ['5.15.167.4-microsoft-standard-WSL2', '4.4.0-19041-Microsoft']) {
      const opener = defaultOpener(
        URL_WITH_SHELL_SYNTAX,
        host({ release, exists: (path) => present.has(path) }),
      );
      expect(opener).toEqual({
        command: '/mnt/c/Windows/System32/rundll32.exe',
        args: ['url.dll,FileProtocolHandler', URL_WITH_SHELL_SYNTAX],
      });
      for (const word of everyWord(opener)) expect(word).not.toMatch(SHELLS);
    }
  });

  it('WSL without wslview, detected from /proc/version, rundll32.exe found on PATH (custom automount root)', () => {
    const rundll32 = '/c/WINDOWS/system32/rundll32.exe';
    const wsl = host({
      procVersion: 'Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f)',
      env: { PATH: '/usr/bin:/bin:/c/WINDOWS/system32:/c/WINDOWS' },
      exists: (path) => path === rundll32,
    });
    expect(isWsl(wsl)).toBe(true);
    expect(defaultOpener(URL_WITH_SHELL_SYNTAX, wsl)).toEqual({
      command: rundll32,
      args: ['url.dll,FileProtocolHandler', URL_WITH_SHELL_SYNTAX],
    });
  });

  it('WSL kernel without a reachable Windows (a container, interop off): xdg-open', () => {
    const wsl = host({ release: '5.15.167.4-microsoft-standard-WSL2', exists: () => false });
    expect(isWsl(wsl)).toBe(true);
    expect(defaultOpener(URL_WITH_SHELL_SYNTAX, wsl)).toEqual({
      command: 'xdg-open',
      args: [URL_WITH_SHELL_SYNTAX],
    });
  });

  it('isWsl: only Linux whose release or /proc/version mentions Microsoft or WSL', () => {
    expect(isWsl(host({}))).toBe(false);
    expect(isWsl(host({ procVersion: undefined }))).toBe(false);
    expect(isWsl(host({ platform: 'win32', release: '10.0.22631-Microsoft' }))).toBe(false);
    expect(isWsl(host({ release: '6.6.36.3-microsoft-standard-WSL2' }))).toBe(true);
  });
});
