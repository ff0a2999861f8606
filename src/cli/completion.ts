/**
 * `pforte completion bash`: a bash completion script made from the command list itself, so
 * it offers exactly the commands, subcommands and options this version has. It reads no
 * configuration and loads no core: a shell may source it at every start.
 */
import type { Command } from './command.js';
import { print, type CliIO } from './io.js';

/** How the overview lists it; answered by main.ts, not a command of the list. */
export const COMPLETION_SUMMARY =
  'Print the bash completion script: source <(pforte completion bash)';
const USAGE = 'usage: pforte completion bash';

/** The options every command takes (main.ts parses them for all). */
export interface CompletionInput {
  commands: readonly Pick<Command, 'name' | 'options'>[];
  commonOptions: readonly string[];
}

export function printCompletion(io: CliIO, args: string[], input: CompletionInput): number {
  if (args.includes('--help') || args.includes('-h')) {
    print(io, `${USAGE}\n\n${COMPLETION_SUMMARY}.`);
    return 0;
  }
  if (args.length !== 1 || args[0] !== 'bash') {
    const given = args[0] === undefined ? 'which shell?' : `no completion for ${args[0]}`;
    io.stderr.write(`pforte completion: ${given.replace(/[\p{Cc}]/gu, '?')}\n${USAGE}\n`);
    return 2;
  }
  print(io, bashCompletion(input));
  return 0;
}

/**
 * One `case` on "word count/first word/second word", most specific first: the first word,
 * then a group's subcommands, then the options of two-word and of one-word commands.
 * `-o default` lets bash complete file names where no word is offered (--config <file>).
 */
export function bashCompletion({ commands, commonOptions }: CompletionInput): string {
  const optionsOf = (c: Pick<Command, 'options'>) =>
    [...commonOptions, ...Object.keys(c.options ?? {})].map((o) => `--${o}`);
  const first = [...new Set(commands.map((c) => c.name.split(' ')[0]!))];
  const line = (pattern: string, words: string[]) => `${pattern}) words='${words.join(' ')}' ;;`;
  const cases = [
    line('1/*', [...first, 'completion', 'help', '--help', '--version']),
    line('2/completion/*', ['bash', '--help']),
  ];
  for (const word of first) {
    const subs = commands.filter((c) => c.name.startsWith(`${word} `));
    const own = commands.find((c) => c.name === word);
    if (subs.length === 0) continue;
    cases.push(
      line(`2/${word}/*`, [
        ...subs.map((c) => c.name.split(' ')[1]!),
        ...(own ? optionsOf(own) : []),
      ]),
    );
  }
  for (const c of commands.filter((c) => c.name.includes(' '))) {
    cases.push(line(`*/${c.name.replace(' ', '/')}`, optionsOf(c)));
  }
  for (const c of commands.filter((c) => !c.name.includes(' '))) {
    cases.push(line(`*/${c.name}/*`, optionsOf(c)));
  }
  return [
    '# bash completion for pforte, made by `pforte completion bash` from its commands.',
    '_pforte() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} words=',
    '  case "$COMP_CWORD/${COMP_WORDS[1]-}/${COMP_WORDS[2]-}" in',
    ...cases.map((line) => `    ${line}`),
    '  esac',
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    'complete -o default -F _pforte pforte',
  ].join('\n');
}
