import { McpOAuthError } from '@mcp-oauth/core';
import { closeReceiver } from './close-receiver.ts';
import type { LoopbackOptionNamedByErrors } from './options-named-by-errors.ts';
import type { ReceiverState, WaitForCallbackOptions } from './receiver.ts';
import { validateTimeoutMs } from './validate-options.ts';

/**
 * `LoopbackReceiver.waitForCallback`: resolves with the URL of the callback carrying
 * `expectedState`, counting (and reporting) the callbacks rejected meanwhile. A timeout or an
 * abort ends the wait and closes the receiver; the receiver keeps the process alive meanwhile.
 */
export function waitForCallback(
  receiver: ReceiverState,
  args: WaitForCallbackOptions,
): Promise<string> {
  const { server, redirectUri } = receiver;
  if (receiver.waited) {
    return Promise.reject(
      new McpOAuthError(
        'invalid_configuration',
        'A loopback receiver waits for one callback only; start a new one.',
      ),
    );
  }
  receiver.waited = true;
  if (typeof args.expectedState !== 'string' || args.expectedState === '') {
    return Promise.reject(
      new McpOAuthError('invalid_configuration', 'expectedState must be a non-empty string.'),
    );
  }
  let timeoutMs: number;
  try {
    timeoutMs = validateTimeoutMs(args.timeoutMs); // a per-call option, checked per call
  } catch (error) {
    return Promise.reject(error);
  }
  if (receiver.finished) {
    return Promise.reject(
      new McpOAuthError('interaction_failed', 'The loopback receiver is already closed.', {
        details: { reason: 'closed' },
      }),
    );
  }
  const { signal } = args;
  let rejectedCallbacks = 0;
  return new Promise<string>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      cleanup();
      receiver.waiting = undefined;
      void closeReceiver(receiver).then(() => reject(error));
    };
    const abandon = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => {
      fail(
        new McpOAuthError(
          'interaction_failed',
          'The authorization was cancelled before the browser came back.',
          {
            cause: signal?.reason,
            details: { reason: 'aborted' },
          },
        ),
      );
    };
    const timer = setTimeout(() => {
      const seen =
        rejectedCallbacks === 0
          ? ''
          : ` ${rejectedCallbacks === 1 ? 'One callback was' : `${rejectedCallbacks} callbacks were`} rejected for a mismatched state (most often an old browser tab).`;
      const option: LoopbackOptionNamedByErrors = 'timeoutMs';
      fail(
        new McpOAuthError(
          'interaction_timeout',
          `No authorization response reached ${redirectUri} within ${waited(timeoutMs)}.${seen} Start the sign-in again and complete it in the browser tab it opens; to allow more time, raise the \`timeoutMs\` option.`,
          { details: { timeoutMs, redirectUri, rejectedCallbacks, option } },
        ),
      );
    }, timeoutMs);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    receiver.waiting = {
      expectedState: args.expectedState,
      expectedIssuer: args.expectedIssuer,
      issuerRequired: args.issuerRequired === true,
      settle: (url) => {
        cleanup();
        resolve(url);
      },
      abandon,
      reject: (reason) => {
        rejectedCallbacks++;
        try {
          args.onRejectedCallback?.({ reason, count: rejectedCallbacks });
        } catch {
          // a listener's failure must not end the wait
        }
      },
    };
    server.ref();
  });
}

/** A wait for a message: whole seconds, or milliseconds below one second ("0 s" says nothing). */
function waited(timeoutMs: number): string {
  return timeoutMs < 1000 ? `${Math.round(timeoutMs)} ms` : `${Math.round(timeoutMs / 1000)} s`;
}
