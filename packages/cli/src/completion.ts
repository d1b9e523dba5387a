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
}

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
      })),
  };
}

function firstSentence(text: string): string {
  const end = text.search(/[.:](\s|$)/);
  return (end < 0 ? text : text.slice(0, end)).replace(/\s+/g, ' ').trim();
}

/** Single-quoted for sh, zsh and fish. */
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
const fishQuote = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** A completion script for `shell`, generated from the program's commands and flags. */
export function completionScript(program: Command, shell: Shell): string {
  const spec = describeProgram(program);
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const valued = spec.global.filter((f) => f.takesValue).flatMap((f) => [f.long, f.short]);
  const valuePattern = valued.filter(Boolean).join('|');
  if (shell === 'bash') return bash(spec, name, fn, valuePattern);
  if (shell === 'zsh') return zsh(spec, name, fn, valuePattern);
  return fish(spec, name);
}

const words = (flags: FlagSpec[]) => flags.map((f) => f.long).join(' ');

function bash(
  spec: ReturnType<typeof describeProgram>,
  name: string,
  fn: string,
  valuePattern: string,
): string {
  const cases = spec.commands
    .map(
      (c) =>
        `    ${c.names.join('|')}) words=${quote(words(c.flags))}${c.argChoices.length ? ` args=${quote(c.argChoices.join(' '))}` : ''} ;;`,
    )
    .join('\n');
  const choices = spec.commands
    .flatMap((c) => c.flags.filter((f) => f.choices.length))
    .map(
      (f) =>
        `    ${f.long}) COMPREPLY=($(compgen -W ${quote(f.choices.join(' '))} -- "$cur")); return ;;`,
    );
  const uniqueChoices = [...new Set(choices)].join('\n');
  return `# ${name} completion for bash. Load it with:
#   source <(${name} completion bash)
# or write it to ~/.local/share/bash-completion/completions/${name}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" words args="" i
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
    "") words=${quote(`${spec.commands.flatMap((c) => c.names).join(' ')} ${words(spec.global)}`)} ;;
${cases}
    *) words="" ;;
  esac
  if [[ -z "$cmd" && "$cur" != -* ]]; then
    words="\${words%% --*}" # the commands
  elif [[ "$cur" != -* ]]; then
    [[ -z "$args" ]] && return 0 # an argument: the default (file names)
    words="$args"
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F ${fn} ${name}
`;
}

function zsh(
  spec: ReturnType<typeof describeProgram>,
  name: string,
  fn: string,
  valuePattern: string,
): string {
  const commands = spec.commands
    .flatMap((c) => c.names.map((n) => `    ${quote(`${n}:${c.description}`)}`))
    .join('\n');
  const flagList = (flags: FlagSpec[]) =>
    flags.map((f) => quote(`${f.long}:${f.description}`)).join(' ');
  const cases = spec.commands
    .map(
      (c) =>
        `    ${c.names.join('|')}) flags=(${flagList(c.flags)})${c.argChoices.length ? `; args=(${c.argChoices.map(quote).join(' ')})` : ''} ;;`,
    )
    .join('\n');
  return `#compdef ${name}
# ${name} completion for zsh. Load it with (after compinit):
#   source <(${name} completion zsh)
# or write it as _${name} into a folder of your $fpath
${fn}() {
  local -a commands flags args
  local cmd i
  commands=(
${commands}
  )
  for ((i = 2; i < CURRENT; i++)); do
    case \${words[i]} in
      ${valuePattern || '--'}) ((i++)) ;;
      -*) ;;
      *) cmd=\${words[i]}; break ;;
    esac
  done
  case $cmd in
    '') flags=(${flagList(spec.global)}) ;;
${cases}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t flags flag flags
  elif [[ -z $cmd ]]; then
    _describe -t commands command commands
  elif (( \${#args} )); then
    compadd -- $args
  else
    _files
  fi
}
if (( $+functions[compdef] )); then compdef ${fn} ${name}; fi
`;
}

function fish(spec: ReturnType<typeof describeProgram>, name: string): string {
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
  const all = spec.commands.flatMap((c) => c.names).join(' ');
  const lines = [
    `# ${name} completion for fish. Load it with:`,
    `#   ${name} completion fish | source`,
    `# or write it to ~/.config/fish/completions/${name}.fish`,
    ...spec.global.map((f) => flagLine(f, '')),
    ...spec.commands.flatMap((c) => [
      ...c.names.map(
        (n) =>
          `complete -c ${name} -n ${fishQuote(`not __fish_seen_subcommand_from ${all}`)} -f -a ${n} -d ${fishQuote(c.description)}`,
      ),
      ...(c.argChoices.length
        ? [
            `complete -c ${name} -n ${fishQuote(`__fish_seen_subcommand_from ${c.names.join(' ')}`)} -f -a ${fishQuote(c.argChoices.join(' '))}`,
          ]
        : []),
      ...c.flags
        .filter((f) => f.long !== '--help')
        .map((f) => flagLine(f, `__fish_seen_subcommand_from ${c.names.join(' ')}`)),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
