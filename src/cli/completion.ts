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
 * One `case` on "word count/first word/second word/…", most specific first: the first
 * word, then each group's next words (`user` → add, list…; `oidc client` → add, list…),
 * then the options of the longest commands down to the one-word ones.
 * `-o default` lets bash complete file names where no word is offered (--config <file>).
 */
export function bashCompletion({ commands, commonOptions }: CompletionInput): string {
  const optionsOf = (c: Pick<Command, 'options'>) =>
    [...commonOptions, ...Object.keys(c.options ?? {})].map((o) => `--${o}`);
  const names = commands.map((c) => c.name.split(' '));
  const depth = Math.max(2, ...names.map((words) => words.length));
  const first = [...new Set(names.map((words) => words[0]!))];
  const line = (pattern: string, words: string[]) => `${pattern}) words='${words.join(' ')}' ;;`;
  const cases = [
    line('1/*', [...first, 'completion', 'help', '--help', '--version']),
    line('2/completion/*', ['bash', '--help']),
  ];
  // Every group, by the words that name it: what may come next.
  const groups = new Map<string, string[]>();
  for (const words of names) {
    for (let n = 1; n < words.length; n++) {
      const group = words.slice(0, n).join('/');
      groups.set(group, [...new Set([...(groups.get(group) ?? []), words[n]!])]);
    }
  }
  for (const [group, next] of groups) {
    const own = commands.find((c) => c.name === group.replaceAll('/', ' '));
    const n = group.split('/').length;
    cases.push(line(`${n + 1}/${group}/*`, [...next, ...(own ? optionsOf(own) : [])]));
  }
  // A command's options, after its words; a word beyond them may be an argument (*).
  const wordCount = (c: Pick<Command, 'name'>) => c.name.split(' ').length;
  const longestFirst = [...commands].sort((a, b) => wordCount(b) - wordCount(a));
  for (const c of longestFirst) {
    const words = c.name.split(' ');
    cases.push(line(`*/${words.join('/')}${'/*'.repeat(depth - words.length)}`, optionsOf(c)));
  }
  const key = Array.from({ length: depth }, (_, i) => `/\${COMP_WORDS[${i + 1}]-}`).join('');
  return [
    '# bash completion for pforte, made by `pforte completion bash` from its commands.',
    '_pforte() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} words=',
    `  case "$COMP_CWORD${key}" in`,
    ...cases.map((line) => `    ${line}`),
    '  esac',
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    'complete -o default -F _pforte pforte',
  ].join('\n');
}
