import { describe, expect, it } from 'vitest';
import {
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
