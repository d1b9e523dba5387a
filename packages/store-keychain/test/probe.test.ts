import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainStore } from '../src/index.ts';
import {
  envWithoutBus,
  fixture,
  lastJson,
  run,
  uniqueNamespace,
  WITH_KEYRING,
} from './support/child.ts';

interface ChildReport {
  probe:
    | { available: true }
    | { available: false; reason: string; code: string; message: string; isMcpOAuthError: boolean };
  elapsedMs: number;
  set?: Attempt;
  get?: Attempt;
  list?: Attempt;
}
type Attempt =
  | { ok: true; value: unknown }
  | { ok: false; code: string; message: string; details: unknown; cause: string };

const BOUND_MS = 1_500;
// Margin for the child process that runs the probe (node start-up on a loaded machine).
const MARGIN_MS = 1_500;
const SECRET = 'rt-super-secret-7f3a9c1e5b';

function probeIn(env: NodeJS.ProcessEnv, withSecret = true): Promise<ChildReport> {
  const args = [fixture('probe-and-use.mjs'), uniqueNamespace('probe'), String(BOUND_MS)];
  if (withSecret) args.push(SECRET);
  return run(process.execPath, args, env).then((result) => lastJson<ChildReport>(result));
}

function expectNoSecret(report: ChildReport) {
  expect(JSON.stringify(report)).not.toContain(SECRET.slice(3));
}

function expectUnavailable(report: ChildReport, reason: string) {
  expect(report.probe.available).toBe(false);
  if (report.probe.available) return;
  expect(report.probe.reason).toBe(reason);
  expect(report.probe.code).toBe('store_unavailable');
  expect(report.probe.isMcpOAuthError).toBe(true);
  expect(report.probe.message).toMatch(/file store/);
  expect(report.elapsedMs).toBeLessThan(BOUND_MS + MARGIN_MS);
}

describe('probe()', () => {
  it('reports available on an unlocked keyring, and leaves no entry behind', async () => {
    const store = keychainStore({ namespace: uniqueNamespace('probe-ok') });
    const result = await store.probe();
    expect(result).toMatchObject({ available: true });
    expect(await store.list()).toEqual([]);
  });

  it('without a session bus: unavailable (no-session-bus) within its bound; the store fails typed', async () => {
    const report = await probeIn(envWithoutBus());
    expectUnavailable(report, 'no-session-bus');
    if (!report.probe.available) expect(report.probe.message).toMatch(/dbus-run-session/);
    expect(report.set).toMatchObject({ ok: false, code: 'store_unavailable' });
    expect(report.get).toMatchObject({ ok: false, code: 'store_unavailable' });
    expect(report.list).toMatchObject({ ok: false, code: 'store_unavailable' });
    expectNoSecret(report);
  });

  it('with a bus address that points nowhere: unavailable (no-session-bus)', async () => {
    const report = await probeIn(
      envWithoutBus({
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(tmpdir(), 'no-such-bus-socket')}`,
      }),
    );
    expectUnavailable(report, 'no-session-bus');
    expect(report.get).toMatchObject({ ok: false, code: 'store_unavailable' });
  });

  it('on a bus without a Secret Service: unavailable (no-secret-service)', async () => {
    const result = await run(
      'dbus-run-session',
      [
        `--config-file=${fixture('bus-without-services.conf')}`,
        '--',
        process.execPath,
        fixture('probe-and-use.mjs'),
        uniqueNamespace('nosvc'),
        String(BOUND_MS),
        SECRET,
      ],
      envWithoutBus(),
    );
    const report = lastJson<ChildReport>(result);
    expectUnavailable(report, 'no-secret-service');
    if (!report.probe.available) expect(report.probe.message).toMatch(/gnome-keyring/);
    expect(report.get).toMatchObject({ ok: false, code: 'store_unavailable' });
    expectNoSecret(report);
  });

  describe('with a bus that accepts connections and never answers', () => {
    const socket = join(tmpdir(), `silent-bus-${process.pid}.sock`);
    let server: Server;
    const connections = new Set<Socket>();
    beforeAll(async () => {
      rmSync(socket, { force: true });
      // Accept and stay silent: a native call on this bus blocks for good.
      server = createServer((connection) => {
        connections.add(connection);
      });
      await new Promise<void>((resolve) => server.listen(socket, resolve));
    });
    afterAll(async () => {
      for (const connection of connections) connection.destroy();
      await new Promise((resolve) => server.close(resolve));
      rmSync(socket, { force: true });
    });

    it('ends in a typed timeout within its bound instead of hanging', async () => {
      const report = await probeIn(
        envWithoutBus({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` }),
        false,
      );
      expectUnavailable(report, 'timeout');
      expect(report.elapsedMs).toBeGreaterThanOrEqual(BOUND_MS - 50);
    });
  });

  it('on a locked keyring: unavailable (locked); reads never pass for "no record"', async () => {
    // A fresh private session whose login keyring is locked after start (Secret Service Lock).
    const result = await run(
      'sh',
      [
        WITH_KEYRING,
        process.execPath,
        fixture('probe-and-use.mjs'),
        uniqueNamespace('locked'),
        String(BOUND_MS),
        SECRET,
      ],
      { ...process.env, WITH_KEYRING_LOCKED: '1' },
    );
    const report = lastJson<ChildReport>(result);
    expectUnavailable(report, 'locked');
    if (!report.probe.available) expect(report.probe.message).toMatch(/unlock/i);
    expect(report.set).toMatchObject({ ok: false, code: 'store_unavailable' });
    expect(report.get).toMatchObject({ ok: false, code: 'store_unavailable' });
    expect(report.list).toMatchObject({ ok: false, code: 'store_unavailable' });
    expectNoSecret(report);
  });
});

describe('a keyring daemon that dies during a call', () => {
  it('is met again once the bus has started a new one, and the read returns the record', async () => {
    // gnome-keyring-daemon can abort mid-call (an upstream race in OpenSession); the session
    // bus starts a new one on demand. A fresh private session, whose daemon is frozen and
    // then killed while a read waits on it.
    const result = await run('sh', [
      WITH_KEYRING,
      process.execPath,
      fixture('daemon-lost.mjs'),
      uniqueNamespace('lost'),
    ]);
    const report = lastJson<{
      ok: boolean;
      value?: unknown;
      elapsedMs: number;
      before: number;
      after: number;
    }>(result);
    expect(report, result.stderr).toMatchObject({
      ok: true,
      value: { v: 1, marker: 'written before the daemon died' },
    });
    expect(report.after).not.toBe(report.before);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(250);
  });
});
