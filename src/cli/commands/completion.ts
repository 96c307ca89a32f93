/**
 * `polycloud completion bash|zsh|fish`: a completion script for the shell, made from the
 * program's own commands and options so it never falls behind them.
 *
 * ```sh
 * polycloud completion bash > ~/.local/share/bash-completion/completions/polycloud
 * polycloud completion zsh > "${fpath[1]}/_polycloud"
 * polycloud completion fish > ~/.config/fish/completions/polycloud.fish
 * ```
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../core/errors.js';
import { action } from '../context.js';
import { EXIT } from '../output.js';

/** The shells `completion` writes scripts for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly { readonly flag: string; readonly description: string }[];
}

/** The program's commands with their long options (the global ones included). */
function specOf(program: Command): { globals: CommandSpec['options']; commands: CommandSpec[] } {
  const optionsOf = (command: Command) =>
    command.options.filter((option) => option.long).map((option) => ({ flag: option.long as string, description: option.description }));
  const globals = [...optionsOf(program), { flag: '--help', description: 'show help' }];
  const commands = program.commands.map((command) => ({
    name: command.name(),
    description: command.description(),
    options: [...optionsOf(command), ...globals],
  }));
  return { globals: [...globals, { flag: '--version', description: 'show the version' }], commands };
}

const quoteSingle = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bash(program: Command): string {
  const { globals, commands } = specOf(program);
  const cases = commands.map(
    (command) => `    ${command.name}) opts=${quoteSingle(command.options.map((each) => each.flag).join(' '))} ;;`,
  );
  return `# bash completion for polycloud (polycloud completion bash)
_polycloud() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W ${quoteSingle([...commands.map((each) => each.name), ...globals.map((each) => each.flag)].join(' '))} -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
    completion) opts='bash zsh fish' ;;
    *) opts='' ;;
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -o default -F _polycloud polycloud
`;
}

function zsh(program: Command): string {
  const { commands } = specOf(program);
  const described = commands.map((command) => `    ${quoteSingle(`${command.name}:${command.description.replace(/:/g, '\\:')}`)}`);
  const cases = commands.map((command) => `    ${command.name}) compadd -- ${command.options.map((each) => each.flag).join(' ')} ;;`);
  return `#compdef polycloud
# zsh completion for polycloud (polycloud completion zsh)
_polycloud() {
  local -a commands
  commands=(
${described.join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case $words[2] in
${cases.join('\n')}
    completion) compadd -- bash zsh fish ;;
  esac
}
if [ "$funcstack[1]" = "_polycloud" ]; then _polycloud "$@"; else compdef _polycloud polycloud; fi
`;
}

function fish(program: Command): string {
  const { globals, commands } = specOf(program);
  const lines = ['# fish completion for polycloud (polycloud completion fish)', 'complete -c polycloud -f'];
  for (const command of commands)
    lines.push(`complete -c polycloud -n __fish_use_subcommand -a ${command.name} -d ${quoteSingle(command.description)}`);
  for (const option of globals)
    lines.push(`complete -c polycloud -n __fish_use_subcommand -l ${option.flag.slice(2)} -d ${quoteSingle(option.description)}`);
  for (const command of commands)
    for (const option of command.options)
      lines.push(
        `complete -c polycloud -n ${quoteSingle(`__fish_seen_subcommand_from ${command.name}`)} -l ${option.flag.slice(2)} -d ${quoteSingle(option.description)}`,
      );
  lines.push(`complete -c polycloud -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'`);
  return `${lines.join('\n')}\n`;
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script: polycloud completion bash|zsh|fish')
    .argument('<shell>', SHELLS.join(', '))
    .action(
      action(async (options: { args?: [string] }) => {
        const shell = options.args?.[0] ?? '';
        if (!(SHELLS as readonly string[]).includes(shell)) {
          throw new InvalidRequestError(`the shell must be one of ${SHELLS.join(', ')}, got ${JSON.stringify(shell)}`, {
            provider: 'polycloud',
            operation: 'completion',
            field: 'shell',
          });
        }
        const write = { bash, zsh, fish }[shell as (typeof SHELLS)[number]];
        process.stdout.write(write(program));
        return EXIT.ok;
      }),
    );
}
