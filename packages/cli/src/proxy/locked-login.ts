import type { Interaction, McpOAuthEvent } from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import {
  type CliAliasRecord,
  defaultName,
  isUrl,
  listAliases,
  readAlias,
  type ServerSettings,
  writeAlias,
} from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { browserAvailable } from '../interactions/browser-available.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { cliMessage } from '../option-flags.ts';
import { createProgress } from '../progress.ts';
import { interactionOutput } from './interaction-output.ts';
import type { ProxyLog } from './logger.ts';

/** How a bridge can ask a person to log in. */
export type LoginWay =
  /** a browser opens on this machine */
  | 'browser'
  /** the device flow (RFC 8628): its code on stderr, in the log, and in the host's answers */
  | 'device'
  /** the URL to open, on the terminal the bridge runs in */
  | 'url';

/** The device code a login waits on (RFC 8628): what the person opens, and the code to enter. */
export interface PendingDeviceCode {
  verificationUri: string;
  verificationUriComplete?: string;
  userCode: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface LockedLogin {
  /**
   * How a person can be asked to log in here, for a request that `opensSession` (`initialize`,
   * `server/discover`: a host that gets an error for it closes the bridge) or not; undefined
   * when there is no way (`impossibleReason()` says why). Without a browser or a terminal, the
   * device flow answers the host's request with its code, for the person to enter while the
   * bridge waits: only for a request of a connected host, which keeps the bridge running.
   */
  way(opensSession: boolean): Promise<LoginWay | undefined>;
  /** Why no login can be opened here, once `way()` found none. */
  impossibleReason(): string | undefined;
  /** The device code this process's login waits on, while it waits. */
  pendingDevice(): PendingDeviceCode | undefined;
  /**
   * Starts a login that way (with these scopes, for a step-up) unless one runs, and resolves
   * `done` when it ends (a login another process ran meanwhile counts). A device flow resolves
   * `device` as soon as its code is shown: the login goes on meanwhile, for the person to
   * approve.
   */
  start(how: LoginWay, scopes?: string[]): Promise<'done' | 'device'>;
}

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
  },
): LockedLogin {
  const env = ctx.settings.env;
  const browser = browserAvailable(env);
  const terminal = process.stderr.isTTY === true;
  let impossible: string | undefined;
  let running: Promise<void> | undefined;
  let device: PendingDeviceCode | undefined;
  const onDeviceCode = new Set<() => void>();

  /** Whether the store holds tokens (with these scopes): a login elsewhere may have put them. */
  const held = async (scopes: string[] | undefined): Promise<boolean> => {
    const probe = await oauthClientFor(ctx, server);
    const tokens = await probe.status();
    const granted = tokens?.scope?.split(' ') ?? [];
    return tokens !== undefined && (!scopes || scopes.every((scope) => granted.includes(scope)));
  };

  const way = async (opensSession: boolean): Promise<LoginWay | undefined> => {
    if (browser.available) return 'browser';
    if (!terminal && opensSession) {
      impossible = `${browser.reason}, no terminal`;
      return undefined;
    }
    const probe = await oauthClientFor(ctx, server);
    const discovery = await probe.discover();
    if (discovery.authorizationServerMetadata.device_authorization_endpoint) return 'device';
    if (terminal) return 'url';
    impossible = `${browser.reason}, no terminal, and the authorization server offers no device flow`;
    return undefined;
  };

  const interaction = async (how: LoginWay): Promise<Interaction> => {
    // loaded only when a login is needed: a bridge with stored tokens starts without them
    const out = interactionOutput(ctx.out, options.log);
    const progress = createProgress(out, { quiet: false });
    if (how === 'device') {
      const { deviceInteraction } = await import('../interactions/device.ts');
      return deviceInteraction(out, progress, {
        qr: false,
        onCode: (code) => {
          device = code;
          for (const shown of onDeviceCode) shown();
          onDeviceCode.clear();
        },
      });
    }
    const { browserInteraction } = await import('../interactions/browser.ts');
    return browserInteraction(progress, {
      openBrowser: how === 'browser',
      timeoutMs: options.timeoutMs,
      env,
    });
  };

  const loginNow = async (how: LoginWay, scopes: string[] | undefined): Promise<void> => {
    const store = await ctx.store();
    const key = `proxy-login:${canonicalResource(server.serverUrl)}`;
    const lock = await store.lock(key, {
      ttlMs: options.timeoutMs + 60_000,
      timeoutMs: options.timeoutMs + 60_000,
    });
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
        interaction: await interaction(how),
        onEvent: options.onEvent,
      });
      await client.authorize(scopes ? { scopes } : {});
      options.log('info', 'logged in');
      await rememberName(ctx, alias, server.settings);
    } finally {
      await lock.release();
    }
  };

  return {
    way,
    impossibleReason: () => impossible,
    pendingDevice: () => device,
    start(how, scopes) {
      // (tokens from a login elsewhere meanwhile are read by the client before any recovery)
      if (running && device) return Promise.resolve('device');
      running ??= loginNow(how, scopes)
        .catch((error: unknown) => {
          // a device login goes on after its request was answered: its failure is logged here
          if (device)
            options.log(
              'warn',
              `the sign-in with the device code did not complete: ${cliMessage(error, ctx.target)}`,
            );
          throw error;
        })
        .finally(() => {
          running = undefined;
          device = undefined;
        });
      const shown = new Promise<'device'>((resolve) => onDeviceCode.add(() => resolve('device')));
      return Promise.race([running.then(() => 'done' as const), shown]);
    },
  };
}

/** A server first reached by URL gets the name `login` would give it, if that name is free. */
async function rememberName(
  ctx: CommandContext,
  alias: CliAliasRecord,
  settings: ServerSettings,
): Promise<void> {
  const store = await ctx.store();
  if (!isUrl(alias.name)) {
    if (settings.allowHttp && !alias.settings?.allowHttp)
      await writeAlias(store, { ...alias, settings: { ...alias.settings, allowHttp: true } });
    return;
  }
  const name = defaultName(alias.serverUrl);
  const resource = canonicalResource(alias.serverUrl);
  if (await readAlias(store, name)) return;
  if ((await listAliases(store)).some((a) => canonicalResource(a.serverUrl) === resource)) return;
  await writeAlias(store, {
    v: 1,
    kind: 'alias',
    name,
    serverUrl: alias.serverUrl,
    createdAt: Date.now(),
    settings,
  });
}
