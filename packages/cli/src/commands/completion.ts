import { Argument, Command } from 'commander';

export function completionCommand(): Command {
  return new Command('completion')
    .description('Print a shell completion script (bash, zsh or fish) for the commands and flags.')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Examples:
  $ source <(mcp-oauth completion bash)        # in ~/.bashrc
  $ source <(mcp-oauth completion zsh)         # in ~/.zshrc, after compinit
  $ mcp-oauth completion fish > ~/.config/fish/completions/mcp-oauth.fish`,
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish', _options: unknown, cmd: Command) => {
      const { completionScript } = await import('../completion.ts');
      process.stdout.write(completionScript(cmd.parent ?? cmd, shell));
    });
}
