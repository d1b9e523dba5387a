import packageJson from '../package.json' with { type: 'json' };

/** This package's version: the instrumentation scope's. */
export const VERSION: string = packageJson.version;
