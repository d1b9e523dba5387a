export {
  type BrowserEnvironment,
  detectBrowserEnvironment,
  type NoBrowserReason,
} from './browser-environment.ts';
export {
  type LoopbackInteraction,
  type LoopbackInteractionOptions,
  loopbackInteraction,
  type OpenFailure,
} from './interaction.ts';
export {
  type OpenBrowserOptions,
  type OpenBrowserResult,
  openBrowser,
} from './open-browser.ts';
export type { LoopbackOptionNamedByErrors } from './options-named-by-errors.ts';
export {
  DEFAULT_CALLBACK_PATH,
  DEFAULT_TIMEOUT_MS,
  LOOPBACK_HOST,
  type LoopbackReceiver,
  type LoopbackReceiverOptions,
  type RejectedCallback,
  type WaitForCallbackOptions,
} from './receiver.ts';
export { startLoopbackReceiver } from './start-loopback-receiver.ts';
export type { RedirectInteraction } from './types.ts';
