/** The shape of a CLI command, and what it is given to run. */
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config/schema.js';
import type { Caller, Core } from '../context.js';
import type { CliIO } from './io.js';

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  io: CliIO;
  json: boolean;
  config: Readonly<Config>;
  caller: Caller;
  /** Opens the core on first use; the CLI closes it after the command. */
  core(): Promise<Core>;
}

export interface Command {
  /** The words that select it, e.g. "token add". */
  name: string;
  summary: string;
  /** What follows the name, e.g. "<username> --email <address>". */
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** The positional arguments it takes, in order; a name ending in "?" may be left out. */
  args?: string[];
  /** Longer help shown by --help. */
  help?: string;
  /** Its failures are JSON log lines on stderr, like the rest of its output (`serve`). */
  reportsAsLog?: boolean;
  run(context: CommandContext, options: OptionValues, args: string[]): Promise<number>;
}

/** Wrong words on the command line: the CLI prints the command's usage with it. */
export class UsageError extends Error {}

export function usageError(message: string): UsageError {
  return new UsageError(message);
}

/**
 * The longest run of leading words of `argv` that some longer command name starts with:
 * `['user']` for `user ad`, `['oidc', 'client']` for `oidc client`, `[]` for no group.
 */
export function groupWords(argv: readonly string[], commands: readonly Pick<Command, 'name'>[]) {
  const words: string[] = [];
  for (const word of argv) {
    const prefix = `${[...words, word].join(' ')} `;
    if (!commands.some((c) => c.name.startsWith(prefix))) break;
    words.push(word);
  }
  return words;
}

/** The commands whose names start with `words` and go on (none for `[]`). */
export function commandsUnder<T extends Pick<Command, 'name'>>(
  words: readonly string[],
  commands: readonly T[],
): T[] {
  return words.length === 0 ? [] : commands.filter((c) => c.name.startsWith(`${words.join(' ')} `));
}
