import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSessionBus } from '../../src/node/index.ts';

const runtime = mkdtempSync(join(tmpdir(), 'bus-'));
afterAll(() => rmSync(runtime, { recursive: true, force: true }));

describe('hasSessionBus', () => {
  it('answers yes off Linux, where keychains need no bus', () => {
    expect(hasSessionBus({}, 'darwin')).toBe(true);
    expect(hasSessionBus({}, 'win32')).toBe(true);
  });

  it("on Linux, finds DBUS_SESSION_BUS_ADDRESS or systemd's bus socket, and nothing else", () => {
    expect(hasSessionBus({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, 'linux')).toBe(true);
    expect(hasSessionBus({}, 'linux')).toBe(false);
    expect(hasSessionBus({ XDG_RUNTIME_DIR: runtime }, 'linux')).toBe(false);
    mkdirSync(runtime, { recursive: true });
    writeFileSync(join(runtime, 'bus'), '');
    expect(hasSessionBus({ XDG_RUNTIME_DIR: runtime }, 'linux')).toBe(true);
  });
});
