import { describe, expect, it } from 'vitest';
import { detectBrowserEnvironment } from '../src/browser-environment.ts';

describe('detectBrowserEnvironment', () => {
  it('prefers an explicit BROWSER, even on CI or over SSH', () => {
    expect(
      detectBrowserEnvironment({ BROWSER: 'w3m', CI: 'true', SSH_CONNECTION: 'x' }, 'linux'),
    ).toEqual({
      kind: 'browser_variable',
      value: 'w3m',
    });
  });

  it('treats BROWSER=none as "do not open"', () => {
    expect(detectBrowserEnvironment({ BROWSER: 'none', DISPLAY: ':0' }, 'linux')).toEqual({
      kind: 'none',
      reason: 'browser_none',
    });
  });

  it('does not open on CI or over SSH', () => {
    expect(detectBrowserEnvironment({ CI: 'true' }, 'darwin')).toEqual({
      kind: 'none',
      reason: 'ci',
    });
    expect(detectBrowserEnvironment({ CI: 'false' }, 'darwin')).toEqual({ kind: 'system' });
    expect(detectBrowserEnvironment({ SSH_CONNECTION: '1 2 3 4', DISPLAY: ':0' }, 'linux')).toEqual(
      {
        kind: 'none',
        reason: 'ssh',
      },
    );
  });

  it('needs a display on Linux, except under WSL', () => {
    expect(detectBrowserEnvironment({}, 'linux')).toEqual({ kind: 'none', reason: 'no_display' });
    expect(detectBrowserEnvironment({ DISPLAY: ':0' }, 'linux')).toEqual({ kind: 'system' });
    expect(detectBrowserEnvironment({ WAYLAND_DISPLAY: 'wayland-0' }, 'freebsd')).toEqual({
      kind: 'system',
    });
    expect(detectBrowserEnvironment({ WSL_DISTRO_NAME: 'Ubuntu' }, 'linux')).toEqual({
      kind: 'system',
    });
    expect(detectBrowserEnvironment({}, 'darwin')).toEqual({ kind: 'system' });
    expect(detectBrowserEnvironment({}, 'win32')).toEqual({ kind: 'system' });
  });
});
