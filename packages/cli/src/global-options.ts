import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { GlobalFlags } from './settings.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

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

/**
 * A plain command line of `command` with the global options and `own` (the command's options):
 * its values and positionals, or undefined for anything the full program must answer instead
 * (`--`, an unknown option, a malformed one, an own option before the command, as commander
 * takes them only after it).
 */
export function parsePlainCommandLine<Own extends Options>(
  args: readonly string[],
  own: Own,
): Pick<ReturnType<typeof parse<Own>>, 'values' | 'positionals'> | undefined {
  if (args.includes('--')) return undefined;
  // util.parseArgs loads and compiles its modules at its first call (about half a millisecond of
  // every quick command's start): a command line of positionals only (`token notion`, `list`),
  // the common case, is answered here as parseArgs answers it (no values, the arguments as
  // positionals); anything with an option goes through parseArgs
  if (args.every(isPositional) && !hasDefaults(own))
    return { values: Object.create(null), positionals: [...args] };
  let parsed: ReturnType<typeof parse<Own>>;
  try {
    parsed = parse(args, own);
  } catch {
    return undefined;
  }
  const at = parsed.tokens.find((t) => t.kind === 'positional')?.index ?? 0;
  const ownNames = new Set(Object.keys(own));
  if (parsed.tokens.some((t) => t.kind === 'option' && ownNames.has(t.name) && t.index < at))
    return undefined;
  return { values: parsed.values, positionals: parsed.positionals };
}

/** What parseArgs takes as a positional: anything but an option (`-x`, `--x`) or `--`. */
function isPositional(arg: string): boolean {
  return arg === '-' || !arg.startsWith('-');
}

/** Whether an option has a default, which parseArgs would put in the values. */
function hasDefaults(own: Options): boolean {
  return Object.values(own).some((option) => option.default !== undefined);
}

type PlainConfig<Own extends Options> = {
  args: string[];
  strict: true;
  allowPositionals: true;
  tokens: true;
  options: typeof GLOBAL_OPTIONS & Own;
};

function parse<Own extends Options>(
  args: readonly string[],
  own: Own,
): ReturnType<typeof parseArgs<PlainConfig<Own>>> {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    tokens: true,
    options: { ...GLOBAL_OPTIONS, ...own } as typeof GLOBAL_OPTIONS & Own,
  });
}
