// The bundler inlines the version (no file read, no CommonJS loader at start-up)
import packageJson from '../package.json' with { type: 'json' };

/** This package's version, from its package.json. */
export const VERSION: string = packageJson.version;
