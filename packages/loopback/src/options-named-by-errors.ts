import type { LoopbackInteractionOptions } from './interaction.ts';
import type { WaitForCallbackOptions } from './receiver.ts';

/**
 * The option of `loopbackInteraction` (and of `LoopbackReceiver.waitForCallback`) an error may
 * name as the way out (`details.option`, in backticks in its last sentence): `timeoutMs`, which
 * an `interaction_timeout` names, so that another interface (the CLI) can tell its own users how
 * to allow more time there.
 *
 * @example
 * ```ts
 * import type { LoopbackOptionNamedByErrors } from '@mcp-oauth/loopback';
 *
 * // the CLI's flag for each option an error may name
 * const flags: Record<LoopbackOptionNamedByErrors, string> = { timeoutMs: '--timeout' };
 * ```
 */
export type LoopbackOptionNamedByErrors = 'timeoutMs' &
  keyof LoopbackInteractionOptions &
  keyof WaitForCallbackOptions;
