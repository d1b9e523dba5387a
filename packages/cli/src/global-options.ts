import type { GlobalFlags } from './settings.ts';

/**
 * The program's global options (src/program.ts) as `util.parseArgs` takes them, for the entries
 * that parse a command line without commander (src/quick-entry.ts, src/proxy-entry.ts).
 */
export const GLOBAL_OPTIONS = {
  store: { type: 'string' },
  dir: { type: 'string' },
  namespace: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  'http-timeout': { type: 'string' },
} as const;

/** The global flags parsed with GLOBAL_OPTIONS, as commander would hand them to an action. */
export function globalFlags(values: {
  store?: string | undefined;
  dir?: string | undefined;
  namespace?: string | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
  'http-timeout'?: string | undefined;
}): GlobalFlags {
  return {
    ...(values.store !== undefined ? { store: values.store } : {}),
    ...(values.dir !== undefined ? { dir: values.dir } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values.quiet ? { quiet: true } : {}),
    ...(values.verbose ? { verbose: true } : {}),
    ...(values['http-timeout'] !== undefined ? { httpTimeout: values['http-timeout'] } : {}),
  };
}
