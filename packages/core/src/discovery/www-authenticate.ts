/**
 * One challenge of a `WWW-Authenticate` header, from {@link parseWwwAuthenticate}.
 *
 * @example
 * ```ts
 * import { type BearerChallenge, parseWwwAuthenticate } from '@mcp-oauth/core/flow';
 *
 * declare const response: Response;
 * const challenges: BearerChallenge[] = parseWwwAuthenticate(response.headers.get('www-authenticate'));
 * const bearer = challenges.find((c) => c.scheme === 'bearer');
 * if (bearer?.params.error === 'insufficient_scope') console.error(`needs ${bearer.params.scope}`);
 * ```
 */
export interface BearerChallenge {
  /** The auth scheme, lower-cased (`bearer`, `dpop`). */
  scheme: string;
  /** The auth parameters, by lower-cased name (`error`, `scope`, `resource_metadata`, ...). */
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate header (RFC 9110 §11.6.1) into challenges. Handles
 * several challenges in one header, quoted strings with escapes and commas,
 * token68 values, and case-insensitive scheme and parameter names.
 *
 * @example
 * ```ts
 * import { parseWwwAuthenticate } from '@mcp-oauth/core/flow';
 *
 * parseWwwAuthenticate('Bearer error="insufficient_scope", scope="mcp:write"');
 * // [ { scheme: 'bearer', params: { error: 'insufficient_scope', scope: 'mcp:write' } } ]
 * ```
 */
export function parseWwwAuthenticate(header: string | null): BearerChallenge[] {
  if (!header) return [];
  const challenges: BearerChallenge[] = [];
  let i = 0;
  const n = header.length;
  const skipWs = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(header[i] ?? '')) i++;
    return header.slice(start, i);
  };
  while (i < n) {
    skipWs();
    while (i < n && header[i] === ',') {
      i++;
      skipWs();
    }
    const scheme = readToken();
    if (!scheme) {
      i++;
      continue;
    }
    const challenge: BearerChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    skipWs();
    for (;;) {
      const save = i;
      skipWs();
      const name = readToken();
      skipWs();
      if (!name || header[i] !== '=') {
        // token68 or the next challenge's scheme
        i = save;
        if (name && header[i] !== ',') {
          // token68 (e.g. "Basic abc=="): consume to the next comma
          const rest = header.indexOf(',', i);
          i = rest === -1 ? n : rest;
        }
        break;
      }
      i++; // '='
      skipWs();
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++; // closing quote
      } else {
        value = readToken();
      }
      challenge.params[name.toLowerCase()] = value;
      skipWs();
      if (header[i] === ',') {
        i++;
        // a parameter follows if "name=" comes next; otherwise a new challenge
        const look = i;
        skipWs();
        const next = readToken();
        skipWs();
        const isParam = next && header[i] === '=';
        i = look;
        if (!isParam) break;
        continue;
      }
      break;
    }
  }
  return challenges;
}

/** The Bearer (or DPoP) challenge's parameters of a 401/403 response, if any. */
export function bearerChallenge(response: Response): Record<string, string> | undefined {
  const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate'));
  return (
    challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'dpop')
  )?.params;
}
