import type { RedirectInteraction } from '@mcp-oauth/core';
import { loopbackInteraction } from '@mcp-oauth/loopback';
import type { Progress } from '../progress.ts';

/** The browser flow: a loopback receiver on 127.0.0.1 (RFC 8252), the browser opened via BROWSER or the system. */
export function browserInteraction(
  progress: Progress,
  options: { openBrowser: boolean; port?: number; timeoutMs: number; env: NodeJS.ProcessEnv },
): RedirectInteraction {
  let waiting = false;
  const waitForApproval = () => {
    if (waiting) return;
    waiting = true;
    progress.start('Waiting for you to approve in the browser');
  };
  const inner = loopbackInteraction({
    ...(options.port !== undefined ? { port: options.port, fallback: 'error' as const } : {}),
    timeoutMs: options.timeoutMs,
    openBrowser: options.openBrowser,
    env: options.env,
    onOpenFailed: (url, failure) => {
      const why =
        failure.reason === 'disabled'
          ? ''
          : ` (no browser could be opened: ${failure.reason.replaceAll('_', ' ')})`;
      progress.note(`\nOpen this URL in a browser on this machine${why}:\n\n  ${url}\n`);
      waitForApproval();
    },
    // said at once: the person may be looking at an old tab's error page, wondering
    onRejectedCallback: (rejected) => {
      progress.note(
        `Rejected a callback with a ${rejected.reason === 'state_missing' ? 'missing' : 'mismatched'} state (most often from an old browser tab); still waiting for this sign-in's own.`,
      );
    },
  });
  return {
    kind: 'redirect',
    prepare: () => inner.prepare(),
    authorize: (args) => {
      waiting = false;
      // with --no-browser, once the URL to open is shown
      if (options.openBrowser) waitForApproval();
      return inner.authorize(args);
    },
    dispose: () => inner.dispose?.() ?? Promise.resolve(),
  };
}
