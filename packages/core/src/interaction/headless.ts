import { McpOAuthError } from '../errors/error.ts';
import type { FetchLike } from '../http/types.ts';
import type { RedirectInteraction } from './types.ts';

/**
 * Options of {@link headlessInteraction}.
 *
 * @example
 * ```ts
 * import { headlessInteraction, type HeadlessInteractionOptions } from '@mcp-oauth/core/flow';
 *
 * const options: HeadlessInteractionOptions = { redirectUri: 'http://127.0.0.1:9/callback', maxHops: 10 };
 * const interaction = headlessInteraction(options);
 * ```
 */
export interface HeadlessInteractionOptions {
  /** The redirect URI to register and use. Nothing needs to listen there: the redirect is read, not followed. */
  redirectUri: string;
  /** HTTP for the walk. Default: globalThis.fetch. */
  fetch?: FetchLike;
  /** Redirect hops before giving up. Default 20. */
  maxHops?: number;
}

/**
 * A redirect interaction without a person or a browser: it walks the
 * authorization URL (following redirects, keeping cookies) until the server
 * redirects to `redirectUri`, and returns that URL. For servers that approve
 * without a login page: test servers, the MCP conformance referee, and
 * machine-to-machine setups whose consent is pre-granted.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { headlessInteraction } from '@mcp-oauth/core/flow';
 *
 * const oauth = createOAuthClient({
 *   serverUrl: 'http://127.0.0.1:3000/mcp',
 *   interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
 * });
 * ```
 */
export function headlessInteraction(options: HeadlessInteractionOptions): RedirectInteraction {
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxHops = options.maxHops ?? 20;
  return {
    kind: 'redirect',
    async prepare() {
      return { redirectUri: options.redirectUri };
    },
    async authorize({ authorizationUrl, signal }) {
      const cookies = new Map<string, string>();
      let url = authorizationUrl;
      for (let hop = 0; hop < maxHops; hop++) {
        const headers: Record<string, string> = {};
        if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        const response = await fetch(url, {
          redirect: 'manual',
          headers,
          ...(signal ? { signal } : {}),
        });
        for (const line of setCookies(response.headers)) {
          const [pair] = line.split(';');
          const eq = pair?.indexOf('=') ?? -1;
          if (pair && eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
        }
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get('location');
        if (response.status < 300 || response.status >= 400 || !location) {
          throw new McpOAuthError(
            'interaction_failed',
            `The authorization server answered HTTP ${response.status} instead of redirecting; it needs a person (use a browser interaction).`,
            {
              status: response.status,
            },
          );
        }
        const next = new URL(location, url).href;
        if (next.startsWith(options.redirectUri)) return next;
        url = next;
      }
      throw new McpOAuthError(
        'interaction_failed',
        `The authorization did not come back to ${options.redirectUri} within ${maxHops} redirects.`,
      );
    },
  };
}

function setCookies(headers: Headers): string[] {
  const h = headers as Headers & { getSetCookie?: () => string[] };
  if (typeof h.getSetCookie === 'function') return h.getSetCookie();
  const single = headers.get('set-cookie');
  return single ? [single] : [];
}
