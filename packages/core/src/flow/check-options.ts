import { McpOAuthError } from '../errors/error.ts';
import type { FlowContextOptions } from './create-flow-context.ts';

/**
 * Option values refused when a flow context or a client is made, each error naming the option
 * in the library's words: such a value would otherwise fail later and elsewhere (a `TypeError`
 * from `new URL`, an `access_denied` for scopes given as one string, a `response_too_large` on
 * the first metadata) or be taken without a word (0 retry attempts, a negative skew). Returns
 * the server URL, parsed (its fragment, if any, is dropped where the resource is made, as before).
 */
export function checkFlowOptions(options: FlowContextOptions): URL {
  let url: URL;
  try {
    url = new URL(String(options.serverUrl));
  } catch {
    // not shown: a string that is not a URL may still hold a secret (`?token=...`)
    refuse('serverUrl', "must be the MCP server's absolute URL, e.g. https://mcp.example.com/mcp");
  }
  const insecure = options.allowInsecureHttp;
  if (insecure !== undefined && insecure !== true && insecure !== false && insecure !== 'loopback')
    refuse('allowInsecureHttp', 'must be true, false or "loopback"', insecure);
  numbers(options, FLOW_NUMBERS);
  return url;
}

/** The options of `createOAuthClient` beyond a flow context's (`checkFlowOptions`). */
export function checkClientOptions(options: object & { scopes?: unknown }): void {
  const { scopes } = options;
  if (
    scopes !== undefined &&
    !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))
  )
    refuse('scopes', 'must be an array of strings', scopes);
  numbers(options, CLIENT_NUMBERS);
}

/**
 * Numeric options: the option, the member of it (or none), the least value, whether it counts
 * something (an integer).
 */
type NumberRule = readonly [
  option: string,
  member: string | undefined,
  min: number,
  integer?: true,
];
const FLOW_NUMBERS: readonly NumberRule[] = [
  ['maxResponseBytes', undefined, 1, true],
  ['retry', 'attempts', 1, true],
  ['retry', 'minDelayMs', 0],
  ['retry', 'maxDelayMs', 0],
];
const CLIENT_NUMBERS: readonly NumberRule[] = [
  ['refreshSkewMs', undefined, 0],
  ['maxStepUps', undefined, 0, true],
  ['lock', 'ttlMs', 1],
  ['lock', 'timeoutMs', 0],
];

function numbers(options: object, rules: readonly NumberRule[]): void {
  for (const [option, member, min, integer] of rules) {
    const outer = (options as Record<string, unknown>)[option];
    const value = member ? (outer as Record<string, unknown> | undefined)?.[member] : outer;
    if (value === undefined) continue;
    if (
      typeof value !== 'number' ||
      !(value >= min) ||
      (integer ? !Number.isInteger(value) : value === Infinity)
    )
      refuse(
        member ? `${option}.${member}` : option,
        `must be ${integer ? 'an integer' : 'a number'} ≥ ${min}`,
        value,
      );
  }
}

/** The error naming the option (`details.option`), with the value given when it is shown. */
function refuse(option: string, rule: string, ...value: [unknown?]): never {
  const shown =
    value.length === 0
      ? ''
      : ` (got ${typeof value[0] === 'string' ? `"${value[0]}"` : String(value[0])})`;
  throw new McpOAuthError('invalid_configuration', `The \`${option}\` option ${rule}${shown}.`, {
    details: { option },
  });
}
