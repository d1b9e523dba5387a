import type {
  Interaction,
  McpOAuthClient,
  McpOAuthEvent,
  StoreLock,
  TokenStore,
} from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import type { CliAliasRecord, ServerSettings } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { cliMessage } from '../option-flags.ts';
import { createProgress } from '../progress.ts';
import { interactionOutput } from './interaction-output.ts';
import type { ProxyLog } from './logger.ts';
import type { LoginWay } from './login-way.ts';
import {
  clearPendingCode,
  type PendingDeviceCode,
  readPendingCode,
  writePendingCode,
} from './pending-device-code.ts';
import { rememberName } from './remember-name.ts';

export interface LockedLogin {
  /**
   * Logs in that way (with these scopes, for a step-up) unless a login runs already, and
   * resolves undefined once logged in (by this process or, meanwhile, another). `answer:
   * 'at-code'` resolves with the device code as soon as one is shown for the server, by this
   * process or another sharing the store: the login goes on meanwhile, for the person to
   * approve, and the request that asked is answered with the code.
   */
  start(
    how: LoginWay,
    scopes: string[] | undefined,
    answer: 'at-code' | 'when-done',
  ): Promise<PendingDeviceCode | undefined>;
  /** The bridge ends: the login's lock is released and its shared code removed. */
  close(): Promise<void>;
}

/**
 * A device code lives 10 to 15 minutes at common servers; the lock of a login that shows one
 * lives as long (if its holder dies, other bridges take over after it).
 */
const DEVICE_LOGIN_TTL_MS = 16 * 60_000;

/** How often a bridge waiting for another's login checks for a code to show its host. */
const CODE_CHECK_MS = 1000;

/** How often a device login checks whether a login elsewhere stored the tokens it waits for. */
const HELD_CHECK_MS = 2000;

/**
 * One login across every bridge (and process) sharing the store: under the store's lock for
 * this server, the tokens are read again first, because another holder may have logged in.
 */
export function lockedLogin(
  ctx: CommandContext,
  alias: CliAliasRecord,
  server: { serverUrl: string; name: string; settings: ServerSettings },
  options: {
    timeoutMs: number;
    log: ProxyLog;
    onEvent: (event: McpOAuthEvent) => void;
    /** The bridge ended: stop waiting for another process's lock. */
    signal: AbortSignal;
  },
): LockedLogin {
  const key = `proxy-login:${canonicalResource(server.serverUrl)}`;
  let running: Promise<void> | undefined;
  /** The code of this process's login (or another's it answers with), while it waits. */
  let shown: PendingDeviceCode | undefined;
  const codeWaiters = new Set<(code: PendingDeviceCode) => void>();
  /** The lock this process holds, and whether its login is a device login (which shares a code). */
  let holding: { lock: StoreLock; store: TokenStore; device: boolean } | undefined;

  const show = (code: PendingDeviceCode) => {
    shown = code;
    for (const waiter of codeWaiters) waiter(code);
    codeWaiters.clear();
  };

  /** Whether the store holds tokens (with these scopes): a login elsewhere may have put them. */
  const held = async (scopes: string[] | undefined): Promise<boolean> => {
    const tokens = await (await oauthClientFor(ctx, server)).status();
    const granted = tokens?.scope?.split(' ') ?? [];
    return tokens !== undefined && (!scopes || scopes.every((scope) => granted.includes(scope)));
  };

  /**
   * The server's login lock; undefined when `answerAtCode` and another process holding it
   * shows a device code (then shown here).
   */
  const acquire = async (
    store: TokenStore,
    how: LoginWay,
    answerAtCode: boolean,
  ): Promise<StoreLock | undefined> => {
    const ttlMs = how === 'device' ? DEVICE_LOGIN_TTL_MS : options.timeoutMs + 60_000;
    const deadline = Date.now() + options.timeoutMs + 60_000;
    // at first no wait: a lock its holder left by dying is taken over at once
    let wait = answerAtCode ? 0 : deadline - Date.now();
    for (;;) {
      try {
        return await store.lock(key, {
          ttlMs,
          timeoutMs: Math.max(wait, 0),
          signal: options.signal,
        });
      } catch (error) {
        const stillWaiting =
          answerAtCode &&
          (error as { code?: unknown }).code === 'store_lock_timeout' &&
          Date.now() < deadline;
        if (!stillWaiting) throw error;
        const other = await readPendingCode(store, server.serverUrl);
        if (other) {
          show(other);
          return undefined;
        }
        wait = Math.min(CODE_CHECK_MS, deadline - Date.now());
      }
    }
  };

  const interaction = async (how: LoginWay, store: TokenStore): Promise<Interaction> => {
    // loaded only when a login is needed: a bridge with stored tokens starts without them
    const out = interactionOutput(ctx.out, options.log);
    const progress = createProgress(out, { quiet: false });
    if (how === 'device') {
      const { deviceInteraction } = await import('../interactions/device.ts');
      return deviceInteraction(out, progress, {
        qr: false,
        onCode: (code) => {
          // shared before the host is answered, for the other bridges' hosts
          void writePendingCode(store, server.serverUrl, code)
            .catch((error: unknown) =>
              options.log('debug', `could not share the device code: ${cliMessage(error)}`),
            )
            .finally(() => show(code));
        },
      });
    }
    const { browserInteraction } = await import('../interactions/browser.ts');
    return browserInteraction(progress, {
      openBrowser: how === 'browser',
      timeoutMs: options.timeoutMs,
      env: ctx.settings.env,
    });
  };

  /**
   * Disposes of `client` (its device login) once the store holds the tokens wanted, checked every
   * HELD_CHECK_MS. `stop()` ends the checks; it resolves true when the checks disposed of the
   * client (its login then failed for that reason), after the disposal.
   */
  const endWhenHeld = (client: McpOAuthClient, scopes: string[] | undefined) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let disposal: Promise<boolean> | undefined;
    let stopped = false;
    const check = async () => {
      const found = await held(scopes).catch(() => false);
      if (stopped) return;
      if (!found) {
        timer = setTimeout(check, HELD_CHECK_MS).unref();
        return;
      }
      disposal = client[Symbol.asyncDispose]().then(() => true);
    };
    timer = setTimeout(check, HELD_CHECK_MS).unref();
    return {
      stop: (): Promise<boolean> => {
        stopped = true;
        clearTimeout(timer);
        return disposal ?? Promise.resolve(false);
      },
    };
  };

  /** Lets the lock (and the code shared under it) go, once. */
  const letGo = async () => {
    const was = holding;
    holding = undefined;
    if (!was) return;
    if (was.device) await clearPendingCode(was.store, server.serverUrl).catch(() => {});
    await was.lock.release().catch(() => {});
  };

  const loginNow = async (
    how: LoginWay,
    scopes: string[] | undefined,
    answerAtCode: boolean,
  ): Promise<void> => {
    const store = await ctx.store();
    const lock = await acquire(store, how, answerAtCode);
    if (!lock) return;
    holding = { lock, store, device: how === 'device' };
    try {
      if (await held(scopes)) {
        options.log('info', 'using the tokens another process just obtained');
        return;
      }
      options.log(
        'info',
        `logging in to ${server.serverUrl}${scopes ? ` for the scope "${scopes.join(' ')}"` : ''}`,
      );
      const client = await oauthClientFor(ctx, server, {
        interaction: await interaction(how, store),
        onEvent: options.onEvent,
      });
      // a code may wait up to its expiry: tokens a login elsewhere stores end it (the client's
      // disposal stops the polling), rather than polling on and then reporting a failure
      const watch = how === 'device' ? endWhenHeld(client, scopes) : undefined;
      let elsewhere = false;
      try {
        await client.authorize(scopes ? { scopes } : {});
      } catch (error) {
        elsewhere = (await watch?.stop()) ?? false;
        if (!elsewhere) throw error;
      } finally {
        await watch?.stop();
      }
      options.log(
        'info',
        elsewhere
          ? 'the tokens are in the store (from a login elsewhere, or this one as it ended): the device code is no longer needed'
          : 'logged in',
      );
      await rememberName(ctx, alias, server.settings);
    } catch (error) {
      // a device login goes on after its request was answered: how it ended is logged here
      if (shown)
        options.log(
          'warn',
          `the sign-in with the code ${shown.userCode} did not complete (${cliMessage(error, ctx.target)}); the next request that needs it gets a new code.`,
        );
      throw error;
    } finally {
      await letGo();
    }
  };

  return {
    start(how, scopes, answer) {
      const answerAtCode = answer === 'at-code' && how === 'device';
      if (running && shown && answerAtCode) return Promise.resolve(shown);
      running ??= loginNow(how, scopes, answerAtCode).finally(() => {
        running = undefined;
        shown = undefined;
        codeWaiters.clear();
      });
      const done = running.then(() => undefined);
      if (!answerAtCode) return done;
      const code = new Promise<PendingDeviceCode>((resolve) => codeWaiters.add(resolve));
      return Promise.race([done, code]);
    },
    close: letGo,
  };
}
