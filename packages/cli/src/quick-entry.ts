import { header } from './actions/header.ts';
import { list } from './actions/list.ts';
import { show } from './actions/show.ts';
import { token } from './actions/token.ts';
import type { CommandContext } from './context.ts';
import { globalFlags, parsePlainCommandLine } from './global-options.ts';
import { runWithFlags } from './run-action.ts';

/**
 * The commands that scripts and hosts run most (`token`, `header`, `list`, `show`), parsed
 * without commander and run without the other commands' definitions. Only plain, well-formed
 * command lines are taken; anything else (help, an unknown option, a missing or extra argument,
 * `--`) returns false, and the full program parses it and answers as it always has.
 */
export async function runQuickEntry(args: readonly string[]): Promise<boolean> {
  const parsed = parsePlainCommandLine(args, {
    json: { type: 'boolean' },
    names: { type: 'boolean' },
  });
  if (!parsed) return false;
  const { values, positionals } = parsed;
  const [command, name, ...extra] = positionals;
  const quick = command === undefined ? undefined : QUICK.get(command);
  if (!quick || extra.length > 0 || (quick.name ? name === undefined : name !== undefined))
    return false;
  // --names is list's own (and conflicts with --json): elsewhere commander reports it
  if (values.names && (!quick.names || values.json)) return false;
  const options = {
    ...(values.json ? { json: true } : {}),
    ...(values.names ? { names: true } : {}),
  };

  await runWithFlags({ ...globalFlags(values), ...(values.json ? { json: true } : {}) }, (ctx) =>
    quick.run(ctx, name ?? '', options),
  );
  return true;
}

type Run = (
  ctx: CommandContext,
  name: string,
  options: { json?: boolean; names?: boolean },
) => Promise<unknown>;

/** `name`: takes a server name; `names`: takes `--names` (list). */
interface QuickCommand {
  name: boolean;
  names?: true;
  run: Run;
}

// static imports: the quick commands and what they share make one chunk of the build
const QUICK = new Map<string, QuickCommand>([
  ['token', { name: true, run: token }],
  ['header', { name: true, run: header }],
  ['show', { name: true, run: show }],
  ['list', { name: false, names: true, run: (ctx, _name, o) => list(ctx, o) }],
  ['ls', { name: false, names: true, run: (ctx, _name, o) => list(ctx, o) }],
]);
