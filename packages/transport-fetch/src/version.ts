import packageJson from '../package.json' with { type: 'json' };

/**
 * This package's version.
 *
 * @example
 * ```ts
 * import { VERSION } from '@mcp-oauth/transport-fetch';
 *
 * console.log(`@mcp-oauth/transport-fetch ${VERSION}`);
 * ```
 */
export const VERSION: string = packageJson.version;

/**
 * The default `User-Agent`: names the library and its version.
 *
 * @example
 * ```ts
 * import { createFetch, DEFAULT_USER_AGENT } from '@mcp-oauth/transport-fetch';
 *
 * const fetch = createFetch({ userAgent: `my-app/1.0 ${DEFAULT_USER_AGENT}` });
 * ```
 */
export const DEFAULT_USER_AGENT = `mcp-oauth/${VERSION} (+transport-fetch)`;
