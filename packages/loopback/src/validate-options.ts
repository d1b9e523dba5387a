import { McpOAuthError } from '@mcp-oauth/core';
import type { LoopbackInteractionOptions, OpenFailure } from './interaction.ts';
import { DEFAULT_LOOPBACK_HOSTS, isLoopbackLiteral } from './loopback-bind.ts';
import {
  DEFAULT_CALLBACK_PATH,
  DEFAULT_TIMEOUT_MS,
  type LoopbackReceiverOptions,
  type RejectedCallback,
} from './receiver.ts';

/**
 * The longest wait a timer holds, in ms (2^31 - 1, about 24.8 days): Node fires a longer
 * `setTimeout` after 1 ms instead, which would end the wait at once.
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** A receiver's options, checked, with their defaults: what `listenOn` listens with. */
export interface ReceiverSettings {
  readonly hosts: readonly string[];
  readonly port: number;
  readonly fallback: 'ephemeral' | 'error';
  readonly path: string;
  readonly successPage: string | undefined;
  readonly failurePage: string | undefined;
}

/** An interaction's options, checked, with their defaults. */
export interface InteractionSettings {
  readonly receiver: ReceiverSettings;
  readonly timeoutMs: number;
  readonly openBrowser: boolean | ((url: string) => Promise<void>);
  readonly onOpenFailed: ((url: string, failure: OpenFailure) => void | Promise<void>) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onRejectedCallback: ((rejected: RejectedCallback) => void) | undefined;
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
}

interface Refusal {
  option: keyof LoopbackInteractionOptions;
  /** What is allowed, as the rest of "The `option` option …". */
  rule: string;
  /** What was given, when it may be shown (`shown`), or its kind only (`kind`). */
  got: string;
}

/** The error naming the option (`details.option`, and in backticks), what is allowed and what was given. */
function refuse({ option, rule, got }: Refusal): never {
  throw new McpOAuthError(
    'invalid_configuration',
    `The \`${option}\` option ${rule} (got ${got}).`,
    {
      details: { option },
    },
  );
}

/** What a value is, without showing it: for options that may hold anything (pages, environment, functions). */
function kind(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

const quote = (text: string) =>
  text.length > 80 ? `${JSON.stringify(text.slice(0, 80))}…` : JSON.stringify(text);

/**
 * A value that cannot be a secret (a port, a path, a timeout, a fallback, a host), shown: a
 * string where a number is expected says it is a string ("the string "8080"").
 */
function shown(value: unknown, expected: 'number' | 'string' | 'list'): string {
  if (typeof value === 'string')
    return expected === 'string' ? quote(value) : `the string ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && expected === 'list')
    return `[${value.map((item) => (typeof item === 'string' ? quote(item) : kind(item))).join(', ')}]`;
  return kind(value);
}

function assertObject(options: unknown, of: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new McpOAuthError(
      'invalid_configuration',
      `The options of ${of} must be an object (got ${kind(options)}).`,
    );
}

/** A path the browser requests as written: `new URL` would change no character of it. */
function isCallbackPath(path: string): boolean {
  return (
    path.startsWith('/') &&
    !path.includes('//') &&
    new URL(path, 'http://127.0.0.1').pathname === path
  );
}

function checkReceiver(options: LoopbackReceiverOptions): ReceiverSettings {
  const { port = 0, fallback = 'error', path = DEFAULT_CALLBACK_PATH, hosts } = options;
  const { successPage, failurePage } = options;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535)
    refuse({
      option: 'port',
      rule: 'must be a whole number from 0 (any free port) to 65535',
      got: shown(port, 'number'),
    });
  if (fallback !== 'error' && fallback !== 'ephemeral')
    refuse({
      option: 'fallback',
      rule: "must be 'error' or 'ephemeral'",
      got: shown(fallback, 'string'),
    });
  if (typeof path !== 'string' || !isCallbackPath(path))
    refuse({
      option: 'path',
      rule: 'must be a URL path such as "/callback": starting with "/", with no query, fragment, empty, "." or ".." segment, and no space or other character a browser would percent-encode',
      got: shown(path, 'string'),
    });
  if (
    hosts !== undefined &&
    (!Array.isArray(hosts) ||
      hosts.length === 0 ||
      !hosts.every((host) => typeof host === 'string' && isLoopbackLiteral(host)))
  )
    refuse({
      option: 'hosts',
      rule: 'must be a non-empty list of the loopback IP literals "127.0.0.1" and "::1" (no brackets, not "localhost")',
      got: shown(hosts, 'list'),
    });
  if (successPage !== undefined && typeof successPage !== 'string')
    refuse({ option: 'successPage', rule: 'must be a string of HTML', got: kind(successPage) });
  if (failurePage !== undefined && typeof failurePage !== 'string')
    refuse({ option: 'failurePage', rule: 'must be a string of HTML', got: kind(failurePage) });
  return {
    hosts: hosts === undefined ? DEFAULT_LOOPBACK_HOSTS : [...hosts],
    port,
    fallback,
    path,
    successPage,
    failurePage,
  };
}

/**
 * The options of `startLoopbackReceiver`, checked before anything listens: each bad value is an
 * `invalid_configuration` error naming its option (`details.option`).
 */
export function validateReceiverOptions(options: LoopbackReceiverOptions): ReceiverSettings {
  assertObject(options, 'startLoopbackReceiver');
  return checkReceiver(options);
}

/**
 * A wait for the browser, in ms: `DEFAULT_TIMEOUT_MS` when not given. Also the check of
 * `waitForCallback`'s own `timeoutMs`.
 */
export function validateTimeoutMs(timeoutMs: unknown): number {
  if (timeoutMs === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS))
    refuse({
      option: 'timeoutMs',
      rule: `must be a number of milliseconds above 0 and at most ${MAX_TIMEOUT_MS}, about 24 days`,
      got: shown(timeoutMs, 'number'),
    });
  return timeoutMs;
}

/**
 * The options of `loopbackInteraction`, checked when the interaction is made (not at
 * `prepare()` or `authorize()`): the receiver's, then the interaction's own, each bad value an
 * `invalid_configuration` error naming its option (`details.option`).
 */
export function validateInteractionOptions(
  options: LoopbackInteractionOptions,
): InteractionSettings {
  assertObject(options, 'loopbackInteraction');
  const receiver = checkReceiver(options);
  const timeoutMs = validateTimeoutMs(options.timeoutMs);
  const { openBrowser = true, onOpenFailed, signal, onRejectedCallback, env } = options;
  if (typeof openBrowser !== 'boolean' && typeof openBrowser !== 'function')
    refuse({
      option: 'openBrowser',
      rule: 'must be true, false or a function (url) => Promise<void> that opens the URL',
      got: kind(openBrowser),
    });
  if (onOpenFailed !== undefined && typeof onOpenFailed !== 'function')
    refuse({
      option: 'onOpenFailed',
      rule: 'must be a function (url, failure) => void that shows the URL',
      got: kind(onOpenFailed),
    });
  // by shape, not instanceof: a signal of another realm or a polyfill works as well
  const signalLike = signal as { aborted?: unknown; addEventListener?: unknown } | undefined;
  if (
    signal !== undefined &&
    (typeof signalLike?.aborted !== 'boolean' || typeof signalLike.addEventListener !== 'function')
  )
    refuse({ option: 'signal', rule: 'must be an AbortSignal', got: kind(signal) });
  if (onRejectedCallback !== undefined && typeof onRejectedCallback !== 'function')
    refuse({
      option: 'onRejectedCallback',
      rule: 'must be a function ({ reason, count }) => void',
      got: kind(onRejectedCallback),
    });
  if (
    env !== undefined &&
    (typeof env !== 'object' ||
      env === null ||
      Array.isArray(env) ||
      !Object.values(env).every((value) => value === undefined || typeof value === 'string'))
  )
    refuse({
      option: 'env',
      rule: 'must be an object of environment variables with string values, such as process.env',
      got:
        typeof env === 'object' && env !== null && !Array.isArray(env)
          ? 'an object with a value that is not a string'
          : kind(env),
    });
  return { receiver, timeoutMs, openBrowser, onOpenFailed, signal, onRejectedCallback, env };
}
