import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  homeDirectory,
  userCacheDirectory,
  userDataDirectory,
  userRuntimeDirectory,
} from '../../src/node/index.ts';

describe('userDataDirectory', () => {
  it('follows XDG on Linux and other Unix, ignoring a relative XDG_DATA_HOME', () => {
    const home = '/home/me';
    expect(
      userDataDirectory('app', { env: { XDG_DATA_HOME: '/data' }, platform: 'linux', home }),
    ).toBe('/data/app');
    expect(
      userDataDirectory('app', { env: { XDG_DATA_HOME: 'rel' }, platform: 'linux', home }),
    ).toBe('/home/me/.local/share/app');
    expect(userDataDirectory('app', { env: {}, platform: 'freebsd', home })).toBe(
      '/home/me/.local/share/app',
    );
  });

  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(userDataDirectory('app', { env: {}, platform: 'darwin', home: '/Users/me' })).toBe(
      '/Users/me/Library/Application Support/app',
    );
    expect(userDataDirectory('app', { env: {}, platform: 'win32', home: '/h' })).toMatch(
      /AppData[/\\]Roaming[/\\]app$/,
    );
  });
});

describe('userCacheDirectory and userRuntimeDirectory', () => {
  it('cache: XDG_CACHE_HOME or ~/.cache, Library/Caches on macOS', () => {
    expect(
      userCacheDirectory('app', { env: { XDG_CACHE_HOME: '/c' }, platform: 'linux', home: '/h' }),
    ).toBe('/c/app');
    expect(userCacheDirectory('app', { env: {}, platform: 'linux', home: '/h' })).toBe(
      '/h/.cache/app',
    );
    expect(userCacheDirectory('app', { env: {}, platform: 'darwin', home: '/h' })).toBe(
      '/h/Library/Caches/app',
    );
  });

  it('runtime: XDG_RUNTIME_DIR when absolute, else none', () => {
    expect(userRuntimeDirectory('app', { env: { XDG_RUNTIME_DIR: '/run/user/1' } })).toBe(
      '/run/user/1/app',
    );
    expect(userRuntimeDirectory('app', { env: { XDG_RUNTIME_DIR: 'run' } })).toBeUndefined();
    expect(userRuntimeDirectory('app', { env: {} })).toBeUndefined();
  });
});

describe('homeDirectory', () => {
  it('is what os.homedir() says, with $HOME set, empty or missing', () => {
    const saved = process.env.HOME;
    try {
      expect(homeDirectory()).toBe(homedir());
      for (const home of ['/tmp/elsewhere', '']) {
        process.env.HOME = home;
        expect(homeDirectory()).toBe(homedir());
      }
      delete process.env.HOME;
      expect(homeDirectory()).toBe(homedir());
      expect(homeDirectory()).not.toBe('');
    } finally {
      if (saved === undefined) delete process.env.HOME;
      else process.env.HOME = saved;
    }
  });
});
