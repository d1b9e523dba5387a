import { McpOAuthError } from '@mcp-oauth/core';
import type { NoBrowserReason } from './browser-environment.ts';
import { assertBrowsableUrl, openBrowser } from './open-browser.ts';
import type { LoopbackReceiver, LoopbackReceiverOptions, RejectedCallback } from './receiver.ts';
import { listenOn } from './start-loopback-receiver.ts';
import type { RedirectInteraction } from './types.ts';
import { validateInteractionOptions } from './validate-options.ts';

/**
 * Why the URL had to be shown instead of (or after failing at) opening a browser. Passed to
 * `onOpenFailed`.
 *
 * @example
 * ```ts
 * import { loopbackInteraction, type OpenFailure } from '@mcp-oauth/loopback';
 *
 * const show = (url: string, failure: OpenFailure) => {
 *   console.error(`Could not open a browser (${failure.reason}). Open this URL: ${url}`);
 * };
 * const interaction = loopbackInteraction({ onOpenFailed: show });
 * ```
 */
export interface OpenFailure {
  /**
   * `disabled` (`openBrowser: false`), a `NoBrowserReason`, or `launch_failed` (the launcher
   * or your `openBrowser` function failed).
   */
  reason: 'disabled' | NoBrowserReason | 'launch_failed';
  /** The launch error, when there was one. */
  error?: unknown;
}

/**
 * Options of `loopbackInteraction`: those of the receiver, plus how to open the browser and how
 * long to wait.
 *
 * @example
 * ```ts
 * import { type LoopbackInteractionOptions, loopbackInteraction } from '@mcp-oauth/loopback';
 *
 * const options: LoopbackInteractionOptions = {
 *   port: 53682,
 *   fallback: 'ephemeral',
 *   timeoutMs: 2 * 60_000,
 *   onRejectedCallback: () => console.error('That tab is from an older sign-in; use the new one.'),
 * };
 * const interaction = loopbackInteraction(options);
 * ```
 */
export interface LoopbackInteractionOptions extends LoopbackReceiverOptions {
  /**
   * How long to wait for the browser to come back, in ms: above 0, at most 2147483647 (about
   * 24 days). Default 5 minutes; then `interaction_timeout`.
   */
  timeoutMs?: number;
  /**
   * `true` (default): open the system browser (respecting `BROWSER`); `false`: only show the
   * URL; a function: open it yourself (a rejection shows the URL instead).
   */
  openBrowser?: boolean | ((url: string) => Promise<void>);
  /**
   * Shows the authorization URL when no browser could be opened (SSH, CI, no display,
   * launch failure, or `openBrowser: false`). Default: writes
   * `Open this URL in a browser: <url>` to stderr.
   */
  onOpenFailed?: (url: string, failure: OpenFailure) => void | Promise<void>;
  /** Cancels the wait (`interaction_failed`, details.reason `aborted`). */
  signal?: AbortSignal;
  /**
   * Called at once for each callback rejected while waiting: a wrong or missing `state`, most
   * often from an old browser tab. The wait goes on; tell the person, who may be looking at
   * that tab's error page. The timeout error then says such callbacks were seen.
   */
  onRejectedCallback?: (rejected: RejectedCallback) => void;
  /** Environment for `BROWSER`, `DISPLAY`, `CI`, `SSH_CONNECTION`. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The interaction `loopbackInteraction()` returns: core's redirect interaction, whose
 * `dispose()` (also run by `await using`) closes a listener still open.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { loopbackInteraction } from '@mcp-oauth/loopback';
 *
 * await using interaction = loopbackInteraction();
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', interaction });
 * await oauth.authorize(); // the listener is closed when the block ends, even on failure
 * ```
 */
export interface LoopbackInteraction extends RedirectInteraction, AsyncDisposable {
  /** Closes the loopback listener if one is still open (a login that never completed). */
  dispose(): Promise<void>;
}

const printToStderr = (url: string) => {
  process.stderr.write(`Open this URL in a browser: ${url}\n`);
};

function combineSignals(signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

/**
 * The loopback redirect interaction (RFC 8252 §7.3) for core: `prepare()` starts a listener on
 * 127.0.0.1 and returns its redirect URI; `authorize()` opens the browser (or shows the URL)
 * and resolves with the callback URL whose `state` matches, then the listener closes. Every
 * option is checked here, when the interaction is made: a bad one throws `invalid_configuration`
 * naming it (`details.option`).
 *
 * @example
 * ```ts
 * import { loopbackInteraction } from '@mcp-oauth/loopback';
 *
 * const interaction = loopbackInteraction({ timeoutMs: 5 * 60_000 });
 * const { redirectUri } = await interaction.prepare(); // e.g. http://127.0.0.1:53682/callback
 * // core builds the authorization URL with redirectUri, then:
 * // const callbackUrl = await interaction.authorize({ authorizationUrl, expectedState });
 * await interaction.dispose?.();
 * ```
 */
export function loopbackInteraction(options: LoopbackInteractionOptions = {}): LoopbackInteraction {
  const settings = validateInteractionOptions(options);
  const { timeoutMs } = settings;
  const onOpenFailed = settings.onOpenFailed ?? printToStderr;
  let current: LoopbackReceiver | undefined;
  let starting: Promise<LoopbackReceiver> | undefined;
  /** Bumped by dispose(), so a listener that finishes starting afterwards is closed. */
  let generation = 0;

  const dispose = async (): Promise<void> => {
    generation++;
    const pending = starting;
    starting = undefined;
    const receiver = current ?? (await pending?.catch(() => undefined));
    current = undefined;
    await receiver?.close();
  };

  const launch = async (url: string, show: (failure: OpenFailure) => Promise<void>) => {
    const opener = settings.openBrowser;
    if (opener === false) {
      await show({ reason: 'disabled' });
    } else if (opener === true) {
      const result = await openBrowser(url, {
        ...(settings.env ? { env: settings.env } : {}),
        onLaunchFailed: (error) => {
          show({ reason: 'launch_failed', error }).catch(() => {});
        },
      });
      if (!result.opened) {
        await show(
          result.error === undefined
            ? { reason: result.reason }
            : { reason: result.reason, error: result.error },
        );
      }
    } else {
      try {
        await opener(url);
      } catch (error) {
        await show({ reason: 'launch_failed', error });
      }
    }
  };

  return {
    kind: 'redirect',

    async prepare() {
      if (current === undefined) {
        const startedIn = generation;
        starting ??= listenOn(settings.receiver);
        const launching = starting;
        let receiver: LoopbackReceiver;
        try {
          receiver = await launching;
        } catch (error) {
          if (starting === launching) starting = undefined;
          throw error;
        }
        if (generation !== startedIn) {
          await receiver.close();
          throw new McpOAuthError(
            'interaction_failed',
            'The interaction was disposed during prepare().',
            { details: { reason: 'closed' } },
          );
        }
        starting = undefined;
        current = receiver;
      }
      return { redirectUri: current.redirectUri };
    },

    async authorize({ authorizationUrl, expectedState, expectedIssuer, issuerRequired, signal }) {
      const receiver = current;
      if (receiver === undefined) {
        throw new McpOAuthError(
          'invalid_configuration',
          'loopbackInteraction: call prepare() before authorize(), so the redirect URI is known.',
        );
      }
      let url: string;
      try {
        url = assertBrowsableUrl(authorizationUrl);
      } catch (error) {
        await dispose();
        throw error;
      }
      // Listen for the callback before the browser can possibly reach it.
      const combined = combineSignals([settings.signal, signal]);
      const callback = receiver.waitForCallback({
        expectedState,
        ...(expectedIssuer !== undefined ? { expectedIssuer } : {}),
        ...(issuerRequired !== undefined ? { issuerRequired } : {}),
        timeoutMs,
        ...(combined ? { signal: combined } : {}),
        ...(settings.onRejectedCallback ? { onRejectedCallback: settings.onRejectedCallback } : {}),
      });
      callback.catch(() => {});
      let done = false;
      let shown = false;
      const show = async (failure: OpenFailure) => {
        if (shown || done) return;
        shown = true;
        await onOpenFailed(url, failure);
      };
      try {
        // A hanging opener must not outlive the timeout or an abort.
        await Promise.race([launch(url, show), callback]);
        return await callback;
      } catch (error) {
        await receiver.close();
        throw error;
      } finally {
        done = true;
        if (current === receiver) current = undefined;
      }
    },

    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
