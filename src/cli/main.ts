/**
 * The command-line face: `pforte <command> [options]`. `runCli` takes its streams and
 * environment as arguments, so tests run it in-process; bin/pforte.js hands it the
 * real ones. Exit codes: 0 success, 1 refused or failed (the machine included: a port in
 * use, a database that does not answer), 2 wrong usage or configuration.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { sealAuditEvents } from '../audit/chain.js';
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { closeCore, openCore } from '../core.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { createLogger } from '../log.js';
import { explainOpenFailure } from '../run/start-failures.js';
import { UsageError, type Command } from './command.js';
import { apikeyCommands } from './commands/apikeys.js';
import { auditCommands } from './commands/audit.js';
import { backupCommands } from './commands/backup.js';
import { bulkRunCommands } from './commands/bulk-runs.js';
import { remindCommands } from './commands/remind.js';
import { directoryCommands } from './commands/directory.js';
import { enrollCommands } from './commands/enroll.js';
import { keyCommands } from './commands/key.js';
import { outboxCommands } from './commands/outbox.js';
import { radiusCommands } from './commands/radius.js';
import { overviewCommands } from './commands/overview.js';
import { temporaryCommands } from './commands/temporary.js';
import { serveCommands } from './commands/serve.js';
import { tokenCommands } from './commands/tokens.js';
import { userCommands } from './commands/users.js';
import { validateCommands } from './commands/validate.js';
import { print, type CliIO } from './io.js';

export const COMMANDS: Command[] = [
  ...serveCommands,
  ...userCommands,
  ...directoryCommands,
  ...tokenCommands,
  ...validateCommands,
  ...enrollCommands,
  ...bulkRunCommands,
  ...remindCommands,
  ...outboxCommands,
  ...apikeyCommands,
  ...auditCommands,
  ...keyCommands,
  ...backupCommands,
  ...overviewCommands,
  ...temporaryCommands,
  ...radiusCommands,
];

const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  config: { type: 'string' },
} as const;

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const command = findCommand(argv);
  if (!command) return printOverview(io, argv);
  const rest = argv.slice(command.name.split(' ').length);
  let core: Core | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      print(io, commandHelp(command));
      return 0;
    }
    const expected = command.args ?? [];
    const required = expected.filter((a) => !a.endsWith('?')).length;
    if (positionals.length < required || positionals.length > expected.length) {
      throw new UsageError(
        expected.length === 0
          ? `unexpected argument ${positionals[0]}`
          : `expected ${expected.map((a) => (a.endsWith('?') ? `[${a.slice(0, -1)}]` : `<${a}>`)).join(' ')}`,
      );
    }
    const env =
      typeof values.config === 'string' ? { ...io.env, PFORTE_CONFIG_FILE: values.config } : io.env;
    const config: Readonly<Config> = loadConfig({ env });
    const caller: Caller = { face: 'cli', actor: `cli:${osUser()}`, address: 'local' };
    return await command.run(
      {
        io: { ...io, env },
        json: values.json === true,
        config,
        caller,
        // The CLI's own output is on stdout; the core's log goes to stderr, warnings only.
        core: async () =>
          (core ??= await openCore(config, {
            log: createLogger(quieter(config.log.level), 'stderr'),
          }).catch((error: unknown) => {
            throw explainOpenFailure(error, config);
          })),
      },
      values,
      positionals,
    );
  } catch (error) {
    return reportError(io, command, error);
  } finally {
    if (core) {
      await sealAuditEvents(core).catch(() => undefined);
      await closeCore(core);
    }
  }
}

function findCommand(argv: string[]): Command | undefined {
  const two = argv.slice(0, 2).join(' ');
  return COMMANDS.find((c) => c.name === two) ?? COMMANDS.find((c) => c.name === argv[0]);
}

/** A failed command as the user is told of it: exit code, the line, and what it is made of. */
interface Failure {
  exit: number;
  message: string;
  code?: string;
  problems?: string[];
  usage?: string;
  stack?: string;
}

function reportError(io: CliIO, command: Command, error: unknown): number {
  const failure = describeFailure(io, command, error);
  if (command.reportsAsLog) writeFailureLog(io, failure);
  else writeFailureText(io, failure);
  return failure.exit;
}

function describeFailure(io: CliIO, command: Command, error: unknown): Failure {
  if (error instanceof UsageError || isParseArgsError(error)) {
    const usage = `pforte ${command.name} ${command.usage}`;
    return { exit: 2, message: `pforte ${command.name}: ${(error as Error).message}`, usage };
  }
  if (error instanceof ConfigError) {
    return { exit: 2, message: error.message, code: 'ERR_CONFIG', problems: error.problems };
  }
  if (error instanceof PforteError) return { exit: 1, message: error.message, code: error.code };
  // Anything else is a fault of ours: one line, no stack (PFORTE_DEBUG=1 shows it).
  const message = error instanceof Error ? error.message : String(error);
  return {
    exit: 1,
    message: `internal error: ${message.split('\n')[0]}`,
    code: 'ERR_INTERNAL',
    ...(io.env.PFORTE_DEBUG ? { stack: (error as Error).stack } : {}),
  };
}

function writeFailureText(io: CliIO, failure: Failure): void {
  if (failure.usage) {
    io.stderr.write(`${failure.message}\nusage: ${failure.usage}\n`);
    return;
  }
  io.stderr.write(`pforte: ${failure.message}\n`);
  if (failure.stack) io.stderr.write(`${failure.stack}\n`);
}

/** One fatal JSON line; a configuration's problems are joined into its message and listed. */
function writeFailureLog(io: CliIO, failure: Failure): void {
  const { message, problems, code, usage, stack } = failure;
  const line = problems
    ? `invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}): ${problems.join('; ')}`
    : message;
  createLogger('info', io.stderr).fatal({ code, problems, usage, stack }, line);
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function printOverview(io: CliIO, argv: string[]): number {
  const group = COMMANDS.filter((c) => c.name.split(' ')[0] === argv[0]);
  const wantsHelp =
    argv.length === 0 ||
    ['help', '--help', '-h'].includes(argv[0]!) ||
    (group.length > 0 && (argv.includes('--help') || argv.includes('-h')));
  const lines = [
    'usage: pforte <command> [options]   (every command takes --help; lists take --json)',
    '',
    ...(group.length > 0 ? group : COMMANDS).map((c) => `  ${c.name.padEnd(18)} ${c.summary}`),
  ];
  if (!wantsHelp) {
    const words = argv.slice(0, group.length > 0 ? 1 : 2).join(' ');
    const problem = group.length > 0 ? 'which one?' : 'unknown command';
    io.stderr.write(`pforte ${words.replace(/[\p{Cc}]/gu, '?')}: ${problem}\n`);
  }
  (wantsHelp ? io.stdout : io.stderr).write(`${lines.join('\n')}\n`);
  return wantsHelp ? 0 : 2;
}

function commandHelp(command: Command): string {
  return [
    `usage: pforte ${command.name} ${command.usage}`,
    '',
    command.summary + '.',
    ...(command.help ? ['', command.help] : []),
  ].join('\n');
}

function quieter(level: string): string {
  return level === 'info' ? 'warn' : level;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
