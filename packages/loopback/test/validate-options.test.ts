import { createServer } from 'node:net';
import { McpOAuthError } from '@mcp-oauth/core';
import { describe, expect, it, vi } from 'vitest';
import { type LoopbackInteractionOptions, loopbackInteraction } from '../src/interaction.ts';
import { startLoopbackReceiver } from '../src/start-loopback-receiver.ts';
import {
  MAX_TIMEOUT_MS,
  validateInteractionOptions,
  validateReceiverOptions,
} from '../src/validate-options.ts';
import { get } from './helpers.ts';

/** What `run` threw (synchronously), as an McpOAuthError. */
function thrown(run: () => unknown): McpOAuthError {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  if (!McpOAuthError.isInstance(error)) throw new Error(`expected an McpOAuthError, got ${error}`);
  return error;
}

/** The error is the refusal of `option`: its code, `details.option`, the option in backticks. */
function expectRefusal(error: McpOAuthError, option: string, got: string): void {
  expect(error.code).toBe('invalid_configuration');
  expect(error.details.option).toBe(option);
  expect(error.message).toMatch(new RegExp(`^The \`${option}\` option must `));
  expect(error.message.endsWith(`(got ${got}).`), error.message).toBe(true);
}

/** A port no one listens on now (it was just free). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Values refused for an option of both the receiver and the interaction, and what is shown. */
const RECEIVER_CASES: Array<[option: string, value: unknown, got: string]> = [
  ['port', '8080', 'the string "8080"'],
  ['port', -1, '-1'],
  ['port', 65_536, '65536'],
  ['port', 80.5, '80.5'],
  ['port', Number.NaN, 'NaN'],
  ['port', null, 'null'],
  ['fallback', 'ephemral', '"ephemral"'],
  ['fallback', true, 'true'],
  ['path', 'callback', '"callback"'],
  ['path', '/cb?x=1', '"/cb?x=1"'],
  ['path', '/cb#top', '"/cb#top"'],
  ['path', '/oauth callback', '"/oauth callback"'],
  ['path', '/oauth//callback', '"/oauth//callback"'],
  ['path', '/oauth/../callback', '"/oauth/../callback"'],
  ['path', '/rückruf', '"/rückruf"'],
  ['path', '\\callback', '"\\\\callback"'],
  ['path', 42, '42'],
  ['hosts', [], '[]'],
  ['hosts', ['localhost'], '["localhost"]'],
  ['hosts', ['[::1]'], '["[::1]"]'],
  ['hosts', ['127.0.0.1', '10.0.0.1'], '["127.0.0.1", "10.0.0.1"]'],
  ['hosts', ['127.0.0.2'], '["127.0.0.2"]'],
  ['hosts', ['::ffff:127.0.0.1'], '["::ffff:127.0.0.1"]'],
  ['hosts', [1], '[a number]'],
  ['hosts', '127.0.0.1', 'the string "127.0.0.1"'],
  ['successPage', 42, 'a number'],
  ['failurePage', { html: '<p>x</p>' }, 'an object'],
];

/** Values refused for the interaction's own options. */
const INTERACTION_CASES: Array<[option: string, value: unknown, got: string]> = [
  ['timeoutMs', -1, '-1'],
  ['timeoutMs', 0, '0'],
  ['timeoutMs', Number.NaN, 'NaN'],
  ['timeoutMs', Number.POSITIVE_INFINITY, 'Infinity'],
  // Node fires a longer timer after 1 ms: the wait would end at once
  ['timeoutMs', MAX_TIMEOUT_MS + 1, String(MAX_TIMEOUT_MS + 1)],
  ['timeoutMs', '60000', 'the string "60000"'],
  ['openBrowser', 'yes', 'a string'],
  ['onOpenFailed', 'stderr', 'a string'],
  ['onRejectedCallback', true, 'a boolean'],
  ['signal', { aborted: false }, 'an object'],
  ['env', 'BROWSER=firefox', 'a string'],
  ['env', null, 'null'],
  ['env', { BROWSER: 1 }, 'an object with a value that is not a string'],
];

describe('loopbackInteraction(options) checks every option when it is made', () => {
  it.each([...RECEIVER_CASES, ...INTERACTION_CASES])(
    '%s: %j is refused, naming the option',
    (option, value, got) => {
      const onOpenFailed = vi.fn();
      const options = { onOpenFailed, [option]: value } as LoopbackInteractionOptions;
      expectRefusal(
        thrown(() => loopbackInteraction(options)),
        option,
        got,
      );
      expect(onOpenFailed).not.toHaveBeenCalled();
    },
  );

  it('a timeout of -1 fails at once, before any URL is shown (not after "Open this URL")', () => {
    const onOpenFailed = vi.fn();
    const error = thrown(() => loopbackInteraction({ timeoutMs: -1, onOpenFailed }));
    expect(error.message).toBe(
      'The `timeoutMs` option must be a number of milliseconds above 0 and at most 2147483647, about 24 days (got -1).',
    );
    expect(onOpenFailed).not.toHaveBeenCalled();
  });

  it('a port given as a string says it got a string, and what is allowed', () => {
    const error = thrown(() =>
      loopbackInteraction({ port: '8080' as unknown as number, openBrowser: false }),
    );
    expect(error.message).toBe(
      'The `port` option must be a whole number from 0 (any free port) to 65535 (got the string "8080").',
    );
    expect(error.details).toEqual({ option: 'port' });
  });

  it('shows no value of an option that may hold anything (environment, pages, functions)', () => {
    const secret = 'ghp_not-to-be-shown';
    for (const options of [
      { env: { GITHUB_TOKEN: secret, BROWSER: 2 } },
      { env: secret },
      { openBrowser: secret },
      { successPage: [secret] },
      { onOpenFailed: { secret } },
    ]) {
      const error = thrown(() =>
        loopbackInteraction(options as unknown as LoopbackInteractionOptions),
      );
      expect(error.code).toBe('invalid_configuration');
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify(error.details)).not.toContain(secret);
    }
  });

  it('refuses options that are not an object', () => {
    for (const options of [null, 'port=8080', [1]]) {
      const error = thrown(() =>
        loopbackInteraction(options as unknown as LoopbackInteractionOptions),
      );
      expect(error.code).toBe('invalid_configuration');
      expect(error.message).toMatch(/^The options of loopbackInteraction must be an object \(got /);
      expect(error.message).not.toContain('port=8080');
    }
  });

  it('accepts every allowed value, at the edges too', () => {
    const settings = validateInteractionOptions({
      port: 65_535,
      fallback: 'ephemeral',
      path: "/o-auth_2.0/~call;back:@!$&'()*+,=%41",
      hosts: ['::1', '127.0.0.1'],
      timeoutMs: MAX_TIMEOUT_MS,
      openBrowser: async () => {},
      onOpenFailed: () => {},
      onRejectedCallback: () => {},
      signal: new AbortController().signal,
      env: { BROWSER: 'none', DISPLAY: undefined },
      successPage: '',
      failurePage: '<p>{{error}}</p>',
    });
    expect(settings.timeoutMs).toBe(MAX_TIMEOUT_MS);
    expect(settings.receiver).toMatchObject({ port: 65_535, hosts: ['::1', '127.0.0.1'] });
    expect(validateInteractionOptions({ timeoutMs: 0.5, port: 0 }).timeoutMs).toBe(0.5);
    // the defaults
    expect(validateInteractionOptions({})).toMatchObject({
      timeoutMs: 5 * 60_000,
      openBrowser: true,
      receiver: { port: 0, fallback: 'error', path: '/callback', hosts: ['127.0.0.1', '::1'] },
    });
  });

  it('listens with the options checked when it was made, even if the object changes later', async () => {
    const options: LoopbackInteractionOptions = { path: '/first', openBrowser: false };
    const interaction = loopbackInteraction(options);
    options.path = 'not a path';
    try {
      const { redirectUri } = await interaction.prepare();
      expect(new URL(redirectUri).pathname).toBe('/first');
      expect((await get(`${redirectUri}?code=x`)).status).toBe(400);
    } finally {
      await interaction.dispose();
    }
  });
});

describe('startLoopbackReceiver(options) checks every option before it listens', () => {
  it.each(RECEIVER_CASES)('%s: %j is refused, naming the option', async (option, value, got) => {
    const error = await startLoopbackReceiver({ [option]: value }).catch((e: unknown) => e);
    if (!McpOAuthError.isInstance(error)) throw new Error(`expected an McpOAuthError: ${error}`);
    expectRefusal(error, option, got);
  });

  it('a fixed port with a bad path is not taken: nothing listened', async () => {
    const port = await freePort();
    const error = await startLoopbackReceiver({ port, path: 'callback' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_configuration', details: { option: 'path' } });
    await expect(get(`http://127.0.0.1:${port}/callback`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('refuses options that are not an object', async () => {
    await expect(
      startLoopbackReceiver(null as unknown as Record<string, never>),
    ).rejects.toMatchObject({
      code: 'invalid_configuration',
      message: 'The options of startLoopbackReceiver must be an object (got null).',
    });
  });

  it('tries 127.0.0.1, then ::1 by default, and hosts in the order given', () => {
    expect(validateReceiverOptions({}).hosts).toEqual(['127.0.0.1', '::1']);
    expect(validateReceiverOptions({ hosts: ['::1', '127.0.0.1'] }).hosts).toEqual([
      '::1',
      '127.0.0.1',
    ]);
  });
});

describe('waitForCallback({ timeoutMs }) checks its own timeout, per call', () => {
  it.each([
    [-1, '-1'],
    [MAX_TIMEOUT_MS + 1, String(MAX_TIMEOUT_MS + 1)],
    ['1000', 'the string "1000"'],
  ])('%j is refused, naming timeoutMs', async (timeoutMs, got) => {
    const receiver = await startLoopbackReceiver();
    try {
      const error = await receiver
        .waitForCallback({ expectedState: 's', timeoutMs: timeoutMs as number })
        .catch((e: unknown) => e);
      if (!McpOAuthError.isInstance(error)) throw new Error(`expected an McpOAuthError: ${error}`);
      expectRefusal(error, 'timeoutMs', got);
    } finally {
      await receiver.close();
    }
  });
});
