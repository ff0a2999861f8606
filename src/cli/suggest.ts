/**
 * "Did you mean …?" for a mistyped command or option, with the configuration's measure of
 * a typo (src/config/unknown-names.ts), so the CLI and the settings agree on what is close.
 */
import { closestName, suggestion } from '../config/unknown-names.js';
import { commandsUnder, groupWords, type Command } from './command.js';

/** "; did you mean user add?" for the words given, or "" when no command is close. */
export function suggestCommand(argv: string[], commands: readonly Command[]): string {
  const words = groupWords(argv, commands);
  if (words.length > 0) {
    // The group is right, the next word is not: `pforte user ad`, `pforte oidc clinet`.
    const depth = words.length + 1;
    const next = commandsUnder(words, commands).map((c) =>
      c.name.split(' ').slice(0, depth).join(' '),
    );
    return suggestion(argv.slice(0, depth).join(' '), [...new Set(next)]);
  }
  return suggestion(argv[0] ?? '', [...new Set(commands.map((c) => c.name.split(' ')[0]!))]);
}

/**
 * The line for parseArgs's unknown option, with the closest of the command's own options;
 * undefined for any other error.
 */
export function explainUnknownOption(
  error: unknown,
  options: readonly string[],
): string | undefined {
  if ((error as { code?: string } | null)?.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return undefined;
  const given = /Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
  if (!given) return undefined;
  const closest = given.startsWith('--')
    ? closestName(given.slice(2).split('=')[0]!, options)
    : undefined;
  return `unknown option ${given}${closest ? `; did you mean --${closest}?` : ''}`;
}
