import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface FlagSpec {
  long: string;
  short: string | undefined;
  description: string;
  /** Takes a value (`--name <name>`): the next word is not a command. */
  takesValue: boolean;
  choices: readonly string[];
}

interface CommandSpec {
  names: string[];
  description: string;
  flags: FlagSpec[];
  /** The values its first argument takes, when it has a fixed set (`completion <shell>`). */
  argChoices: readonly string[];
  /** Its first argument takes a name given at login (`<name>`, `[name]`, `<server>`, `<url|name>`). */
  takesName: boolean;
  /** Its flags that take a value, long and short: the word after one is not an argument. */
  valued: string[];
}

/** What a command calls its first argument when it takes a name given at login. */
const NAME_ARGUMENTS = new Set(['name', 'server']);

/**
 * The global flags that choose the store: a script asking for names passes those on the line to
 * `list --names`, so that the names come from the store the command will use.
 */
const STORE_FLAGS = new Set(['--store', '--dir', '--namespace']);

/** The commands and flags of a commander program, as a completion script needs them. */
function describeProgram(program: Command): { global: FlagSpec[]; commands: CommandSpec[] } {
  const flagsOf = (command: Command): FlagSpec[] => [
    ...command.options
      .filter((o: Option) => !o.hidden && o.long)
      .map((o: Option) => ({
        long: o.long as string,
        short: o.short,
        description: firstSentence(o.description),
        takesValue: o.required || o.optional,
        choices: o.argChoices ?? [],
      })),
    { long: '--help', short: '-h', description: 'display help', takesValue: false, choices: [] },
  ];
  return {
    global: flagsOf(program),
    commands: program.commands
      .filter((c) => c.name() !== 'help')
      .map((c) => ({
        names: [c.name(), ...c.aliases()],
        description: firstSentence(c.description()),
        flags: flagsOf(c),
        argChoices: c.registeredArguments[0]?.argChoices ?? [],
        takesName: (c.registeredArguments[0]?.name() ?? '')
          .split('|')
          .some((word) => NAME_ARGUMENTS.has(word)),
        valued: valuedWords(flagsOf(c)),
      })),
  };
}

/** The words of the flags that take a value (`--name`, `-n`). */
function valuedWords(flags: FlagSpec[]): string[] {
  return flags.filter((f) => f.takesValue).flatMap((f) => (f.short ? [f.long, f.short] : [f.long]));
}

function firstSentence(text: string): string {
  const end = text.search(/[.:](\s|$)/);
  return (end < 0 ? text : text.slice(0, end)).replace(/\s+/g, ' ').trim();
}

/** Single-quoted for sh, zsh and fish. */
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
const fishQuote = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** What every shell's script is generated from. */
interface ScriptSpec {
  global: FlagSpec[];
  commands: CommandSpec[];
  /** The program's name (program.name()): the command completed, and the one asked for names. */
  name: string;
  /** The script's function name (`_mcp_oauth`). */
  fn: string;
  /** The global flags that take a value, as a case pattern (`--store|--dir|...`). */
  valuePattern: string;
  /** The global flags that choose the store, as a case pattern (`--store|--dir|--namespace`). */
  storePattern: string;
}

/**
 * A completion script for `shell`, generated from the program's commands and flags. The first
 * argument of a command that takes a name given at login completes with the names that
 * `<program> list --names` prints, from the store the flags on the line choose.
 */
export function completionScript(program: Command, shell: Shell): string {
  const { global, commands } = describeProgram(program);
  const name = program.name();
  const spec: ScriptSpec = {
    global,
    commands,
    name,
    fn: `_${name.replace(/[^A-Za-z0-9]/g, '_')}`,
    valuePattern: valuedWords(global).join('|'),
    storePattern: global
      .filter((f) => STORE_FLAGS.has(f.long))
      .map((f) => f.long)
      .join('|'),
  };
  if (shell === 'bash') return bash(spec);
  if (shell === 'zsh') return zsh(spec);
  return fish(spec);
}

const words = (flags: FlagSpec[]) => flags.map((f) => f.long).join(' ');

/** The flags (global or a command's) that take one of a fixed set of values, once by name. */
function withValues(global: FlagSpec[], commands: CommandSpec[]): FlagSpec[] {
  const byName = new Map<string, FlagSpec>();
  for (const flag of [...global, ...commands.flatMap((c) => c.flags)])
    if (flag.choices.length && !byName.has(flag.long)) byName.set(flag.long, flag);
  return [...byName.values()];
}

function bash({ global, commands, name, fn, valuePattern, storePattern }: ScriptSpec): string {
  const cases = commands
    .map((c) =>
      [
        `    ${c.names.join('|')}) words=${quote(words(c.flags))}`,
        c.argChoices.length ? ` args=${quote(c.argChoices.join(' '))}` : '',
        c.takesName ? ' names=1' : '',
        c.takesName && c.valued.length ? ` valued=${quote(c.valued.join(' '))}` : '',
        ' ;;',
      ].join(''),
    )
    .join('\n');
  const choices = withValues(global, commands).map(
    (f) =>
      `    ${f.long}) COMPREPLY=($(compgen -W ${quote(f.choices.join(' '))} -- "$cur")); return ;;`,
  );
  const uniqueChoices = [...new Set(choices)].join('\n');
  return `# ${name} completion for bash. Load it with:
#   source <(${name} completion bash)
# or write it to ~/.local/share/bash-completion/completions/${name}

# Whether the word being completed is the command's first argument ($1: the command's flags
# that take a value); sets store to the ${storePattern.replaceAll('|', ', ')} flags on the line.
${fn}_first_arg() {
  local n=0 i w
  store=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      ${storePattern || '--'}) store+=("$w" "\${COMP_WORDS[i+1]/#\\~\\//$HOME/}"); ((i++)) ;;
      ${valuePattern || '--'}) ((i++)) ;;
      -*) [[ " $1 " == *" $w "* ]] && ((i++)) ;;
      *) ((n++)) ;; # the command, then its arguments
    esac
  done
  # i is past COMP_CWORD when the word is the value of the flag before it
  ((n == 1 && i == COMP_CWORD))
}

${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" words args="" names="" valued="" i
  local -a store
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${valuePattern || '--'}) ((i++)) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$prev" in
${uniqueChoices || '    --) ;;'}
  esac
  case "$cmd" in
    "") words=${quote(`${commands.flatMap((c) => c.names).join(' ')} ${words(global)}`)} ;;
${cases}
    *) words="" ;;
  esac
  if [[ -z "$cmd" && "$cur" != -* ]]; then
    words="\${words%% --*}" # the commands
  elif [[ "$cur" != -* ]]; then
    if [[ -n "$names" ]] && ${fn}_first_arg "$valued"; then
      # the names given at login, from the store the command will use; read as data, never
      # expanded (compgen -W would expand them), and matched literally
      local n
      COMPREPLY=()
      while IFS= read -r n; do
        [[ "$n" == "$cur"* ]] && COMPREPLY+=("$n")
      done < <(command ${name} \${store[@]+"\${store[@]}"} list --names 2>/dev/null)
      return 0
    else
      [[ -z "$args" ]] && return 0 # an argument: the default (file names)
      words="$args"
    fi
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F ${fn} ${name}
`;
}

function zsh({ global, commands, name, fn, valuePattern, storePattern }: ScriptSpec): string {
  const commandList = commands
    .flatMap((c) => c.names.map((n) => `    ${quote(`${n}:${c.description}`)}`))
    .join('\n');
  const flagList = (flags: FlagSpec[]) =>
    flags.map((f) => quote(`${f.long}:${f.description}`)).join(' ');
  const zshValueCases =
    withValues(global, commands)
      .map((f) => `    ${f.long}) compadd -- ${f.choices.map(quote).join(' ')}; return ;;`)
      .join('\n') || '    --) ;;';
  const cases = commands
    .map((c) =>
      [
        `    ${c.names.join('|')}) flags=(${flagList(c.flags)})`,
        c.argChoices.length ? `; args=(${c.argChoices.map(quote).join(' ')})` : '',
        c.takesName ? '; names=1' : '',
        c.takesName && c.valued.length ? `; valued=(${c.valued.map(quote).join(' ')})` : '',
        ' ;;',
      ].join(''),
    )
    .join('\n');
  return `#compdef ${name}
# ${name} completion for zsh. Load it with (after compinit):
#   source <(${name} completion zsh)
# or write it as _${name} into a folder of your $fpath

# Whether the word being completed is the command's first argument ($@: the command's flags
# that take a value); sets store to the ${storePattern.replaceAll('|', ', ')} flags on the line.
${fn}_first_arg() {
  local n=0 i
  store=()
  for ((i = 2; i < CURRENT; i++)); do
    case \${words[i]} in
      ${storePattern || '--'}) store+=(\${words[i]} \${\${(Q)words[i+1]}/#\\~\\//$HOME/}); ((i++)) ;;
      ${valuePattern || '--'}) ((i++)) ;;
      -*) (( \${argv[(Ie)\${words[i]}]} )) && ((i++)) ;;
      *) ((n++)) ;; # the command, then its arguments
    esac
  done
  # i is past CURRENT when the word is the value of the flag before it
  (( n == 1 && i == CURRENT ))
}

${fn}() {
  local -a commands flags args valued store
  local cmd names i
  commands=(
${commandList}
  )
  for ((i = 2; i < CURRENT; i++)); do
    case \${words[i]} in
      ${valuePattern || '--'}) ((i++)) ;;
      -*) ;;
      *) cmd=\${words[i]}; break ;;
    esac
  done
  # a flag's fixed values
  case \${words[CURRENT-1]} in
${zshValueCases}
  esac
  case $cmd in
    '') flags=(${flagList(global)}) ;;
${cases}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t flags flag flags
  elif [[ -z $cmd ]]; then
    _describe -t commands command commands
  elif (( \${#args} )); then
    compadd -- $args
  elif [[ -n $names ]] && ${fn}_first_arg $valued; then
    # the names given at login, from the store the command will use
    compadd -- \${(f)"$(command ${name} $store list --names 2>/dev/null)"}
  else
    _files
  fi
}
if (( $+functions[compdef] )); then compdef ${fn} ${name}; fi
`;
}

function fish({ global, commands, name, fn, valuePattern, storePattern }: ScriptSpec): string {
  const flagLine = (f: FlagSpec, condition: string) =>
    [
      `complete -c ${name}`,
      condition ? `-n ${fishQuote(condition)}` : '',
      `-l ${f.long.replace(/^--/, '')}`,
      f.short ? `-s ${f.short.replace(/^-/, '')}` : '',
      f.takesValue ? '-r' : '',
      f.choices.length ? `-f -a ${fishQuote(f.choices.join(' '))}` : '',
      `-d ${fishQuote(f.description)}`,
    ]
      .filter(Boolean)
      .join(' ');
  const all = commands.flatMap((c) => c.names).join(' ');
  const storeFlags = storePattern.split('|').join(' ');
  const lines = [
    `# ${name} completion for fish. Load it with:`,
    `#   ${name} completion fish | source`,
    `# or write it to ~/.config/fish/completions/${name}.fish`,
    '',
    `# Whether the word being completed is the command's first argument ($argv: the command's`,
    '# flags that take a value)',
    `function _${fn}_first_arg`,
    '    set -l n 0',
    '    set -l value 0',
    '    for w in (commandline -opc)[2..-1]',
    '        if test $value = 1',
    '            set value 0',
    `        else if contains -- $w ${valuePattern.split('|').join(' ')} $argv`,
    '            set value 1',
    "        else if not string match -q -- '-*' $w",
    '            set n (math $n + 1) # the command, then its arguments',
    '        end',
    '    end',
    '    test $n = 1 -a $value = 0',
    'end',
    '',
    `# The names given at login, from the store the ${storeFlags} flags on the line choose`,
    `function _${fn}_names`,
    '    set -l words (commandline -opc)',
    '    set -l store',
    '    for i in (seq 2 (count $words))',
    `        if contains -- $words[$i] ${storeFlags}`,
    `            set -a store $words[$i] (string replace -r '^~/' "$HOME/" -- $words[(math $i + 1)])`,
    '        end',
    '    end',
    `    command ${name} $store list --names 2>/dev/null`,
    'end',
    '',
    ...global.map((f) => flagLine(f, '')),
    ...commands.flatMap((c) => [
      ...c.names.map(
        (n) =>
          `complete -c ${name} -n ${fishQuote(`not __fish_seen_subcommand_from ${all}`)} -f -a ${n} -d ${fishQuote(c.description)}`,
      ),
      ...(c.argChoices.length
        ? [
            `complete -c ${name} -n ${fishQuote(`__fish_seen_subcommand_from ${c.names.join(' ')}`)} -f -a ${fishQuote(c.argChoices.join(' '))}`,
          ]
        : []),
      ...(c.takesName
        ? [
            `complete -c ${name} -n ${fishQuote(`__fish_seen_subcommand_from ${c.names.join(' ')}; and ${[`_${fn}_first_arg`, ...c.valued].join(' ')}`)} -f -a ${fishQuote(`(_${fn}_names)`)} -d ${fishQuote('a name given at login')}`,
          ]
        : []),
      ...c.flags
        .filter((f) => f.long !== '--help')
        .map((f) => flagLine(f, `__fish_seen_subcommand_from ${c.names.join(' ')}`)),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
