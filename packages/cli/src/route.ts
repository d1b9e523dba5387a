/**
 * What a command line asks the bin for first, decided from its arguments alone (no module
 * loaded): the ESM entry (src/index.ts) and the CommonJS bin (src/bin.ts) route alike.
 */
export type Route = 'version' | 'help' | 'usage' | 'proxy' | 'quick' | 'program';

/** The commands src/quick-entry.ts may take (other command lines do not load it). */
const QUICK_COMMANDS = new Set(['token', 'header', 'list', 'ls', 'show']);

/**
 * `version`: --version alone; `help`: --help alone to a pipe (scripts, hosts), answered from
 * the text the build rendered (to a terminal commander fits it to the window; `stdoutIsTTY` is
 * asked then only); `usage`: no
 * arguments; `proxy`: a line with the word `proxy` (src/proxy-entry.ts may still decline it,
 * e.g. `token proxy` for a server named proxy: then it routes as if it were not there); `quick`:
 * a line that names a quick command (quick-entry may still decline it);
 * `program`: commander and every command.
 */
export function route(args: readonly string[], stdoutIsTTY: () => boolean): Route {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return 'version';
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h') && !stdoutIsTTY())
    return 'help';
  if (args.length === 0) return 'usage';
  if (args.includes('proxy')) return 'proxy';
  if (namesQuickCommand(args)) return 'quick';
  return 'program';
}

/** Whether a command line names one of the quick commands (src/quick-entry.ts). */
/** The quick command a command line names (`ls` is `list`), if any. */
export function quickCommandOf(args: readonly string[]): string | undefined {
  const command = args.find((arg) => QUICK_COMMANDS.has(arg));
  return command === 'ls' ? 'list' : command;
}

export function namesQuickCommand(args: readonly string[]): boolean {
  return args.some((arg) => QUICK_COMMANDS.has(arg));
}
