/**
 * The command-line face: `pforte <command> [options]`. `runCli` takes its streams and
 * environment as arguments, so tests run it in-process; bin/pforte.js hands it the
 * real ones. Exit codes: 0 success, 1 refused or failed (the machine included: a port in
 * use, a database that does not answer), 2 wrong usage or configuration.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Config } from '../config/schema.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { commandsUnder, groupWords, UsageError, type Command } from './command.js';
import { apikeyCommands } from './commands/apikeys.js';
import { auditCommands } from './commands/audit.js';
import { backupCommands } from './commands/backup.js';
import { bulkRunCommands } from './commands/bulk-runs.js';
import { remindCommands } from './commands/remind.js';
import { directoryCommands } from './commands/directory.js';
import { enrollCommands } from './commands/enroll.js';
import { keyCommands } from './commands/key.js';
import { migrateCommands } from './commands/migrate.js';
import { oidcCommands } from './commands/oidc.js';
import { outboxCommands } from './commands/outbox.js';
import { radiusCommands } from './commands/radius.js';
import { overviewCommands } from './commands/overview.js';
import { temporaryCommands } from './commands/temporary.js';
import { serveCommands } from './commands/serve.js';
import { tokenCommands } from './commands/tokens.js';
import { userCommands } from './commands/users.js';
import { validateCommands } from './commands/validate.js';
import { COMPLETION_SUMMARY, printCompletion } from './completion.js';
import { print, type CliIO } from './io.js';
import { explainUnknownOption, suggestCommand } from './suggest.js';
import { printVersion } from './version.js';

/**
 * Every command, in the order the overview lists them. A command's file is loaded for
 * `--help` and completion too, so it imports the core only inside `run` (`await import(…)`):
 * test/cli/help-loads-no-core.test.ts fails when a command file loads Kysely, Fastify & co.
 */
export const COMMANDS: Command[] = [
  ...serveCommands,
  ...migrateCommands,
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
  ...backupCommands,
  ...keyCommands,
  ...overviewCommands,
  ...temporaryCommands,
  ...radiusCommands,
  ...oidcCommands,
];

const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  config: { type: 'string' },
} as const;

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V') return printVersion(io, argv.includes('--json'));
  if (argv[0] === 'completion') {
    const commonOptions = Object.keys(COMMON_OPTIONS);
    return printCompletion(io, argv.slice(1), { commands: COMMANDS, commonOptions });
  }
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
    // The core's modules are loaded only now that a command runs, not for --help.
    const { loadConfig } = await import('../config/load.js');
    const { openCore } = await import('../core.js');
    const { createLogger } = await import('../log.js');
    const { explainOpenFailure } = await import('../run/start-failures.js');
    const config: Readonly<Config> = loadConfig({ env });
    const caller: Caller = { face: 'cli', actor: `cli:${osUser()}`, address: 'local' };
    return await command.run(
      {
        io: { ...io, env },
        json: values.json === true,
        config,
        caller,
        // The CLI's own output is on stdout; the core's log goes to stderr, warnings only.
        // It never migrates: a newer CLI must not change the schema under an older server.
        core: async () =>
          (core ??= await openCore(config, {
            log: createLogger(quieter(config.log.level), 'stderr'),
            migrations: 'check',
          }).catch((error: unknown) => {
            throw explainOpenFailure(error, config);
          })),
      },
      values,
      positionals,
    );
  } catch (error) {
    return await reportError(io, command, error);
  } finally {
    if (core) {
      const { sealAuditEvents } = await import('../audit/chain.js');
      const { closeCore } = await import('../core.js');
      await sealAuditEvents(core).catch(() => undefined);
      await closeCore(core);
    }
  }
}

/** The command whose name the words start with, the longest such (`oidc client add`). */
function findCommand(argv: string[]): Command | undefined {
  const named = COMMANDS.filter((c) => c.name.split(' ').every((word, i) => argv[i] === word));
  return named.sort((a, b) => b.name.length - a.name.length)[0];
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

async function reportError(io: CliIO, command: Command, error: unknown): Promise<number> {
  const failure = await describeFailure(io, command, error);
  if (command.reportsAsLog) await writeFailureLog(io, failure);
  else writeFailureText(io, failure);
  return failure.exit;
}

async function describeFailure(io: CliIO, command: Command, error: unknown): Promise<Failure> {
  if (error instanceof UsageError || isParseArgsError(error)) {
    const usage = `pforte ${command.name} ${command.usage}`;
    const options = Object.keys({ ...COMMON_OPTIONS, ...command.options });
    const message = explainUnknownOption(error, options) ?? (error as Error).message;
    return { exit: 2, message: `pforte ${command.name}: ${message}`, usage };
  }
  // Past the usage checks: the configuration's module is loaded already.
  const { ConfigError } = await import('../config/load.js');
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
async function writeFailureLog(io: CliIO, failure: Failure): Promise<void> {
  const { message, problems, code, usage, stack } = failure;
  const line = problems
    ? `invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}): ${problems.join('; ')}`
    : message;
  const { createLogger } = await import('../log.js');
  createLogger('info', io.stderr).fatal({ code, problems, usage, stack }, line);
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function printOverview(io: CliIO, argv: string[]): number {
  const groupName = groupWords(argv, COMMANDS);
  const group = commandsUnder(groupName, COMMANDS);
  const wantsHelp =
    argv.length === 0 ||
    ['help', '--help', '-h'].includes(argv[0]!) ||
    (group.length > 0 && (argv.includes('--help') || argv.includes('-h')));
  const lines = [
    'usage: pforte <command> [options]   (every command takes --help; lists take --json)',
    '',
    ...(group.length > 0 ? group : COMMANDS).map((c) => `  ${c.name.padEnd(18)} ${c.summary}`),
    ...(group.length > 0 ? [] : [`  ${'completion bash'.padEnd(18)} ${COMPLETION_SUMMARY}`]),
    ...(group.length > 0
      ? []
      : [`  ${'--version'.padEnd(18)} The version of Pforte (--json: and of Node.js)`]),
  ];
  if (!wantsHelp) {
    const next = argv[groupName.length];
    const named = next !== undefined && !next.startsWith('-');
    const given = group.length > 0 && !named ? groupName.length : Math.max(groupName.length + 1, 2);
    const words = argv.slice(0, given).join(' ');
    const problem = group.length > 0 && !named ? 'which one?' : 'unknown command';
    const hint = suggestCommand(argv, COMMANDS);
    io.stderr.write(`pforte ${words.replace(/[\p{Cc}]/gu, '?')}: ${problem}${hint}\n`);
    // A close match is the answer; the whole list would only bury it.
    if (hint) return 2;
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
