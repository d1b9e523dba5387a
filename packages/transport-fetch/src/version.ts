import packageJson from '../package.json' with { type: 'json' };

/** This package's version. */
export const VERSION: string = packageJson.version;

/** The default `User-Agent`: names the library and its version. */
export const DEFAULT_USER_AGENT = `mcp-oauth/${VERSION} (+transport-fetch)`;
