/** `pforte enroll` and `pforte enrollment …`: self-enrollment from the command line. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Core } from '../../context.js';
import type { BulkRow, BulkSummary } from '../../enrollment/bulk.js';
import type { BulkRunSource } from '../../enrollment/bulk-runs.js';
import type { StartedEnrollment } from '../../enrollment/enrollments.js';
import { parseLifetime } from '../../enrollment/lifetime.js';
import { usageError, type Command, type CommandContext, type OptionValues } from '../command.js';
import { previewRows, queueRun } from './bulk-runs.js';
import { cellText, print, printJSON, printTable } from '../io.js';
import {
  cursorOf,
  PAGING_OPTIONS,
  PAGING_USAGE,
  readLimit,
  readPages,
  sayWhereMoreIs,
} from '../paging.js';
import { progressBar } from '../progress.js';

const ENROLLMENT_COLUMNS = [
  'id',
  'username',
  'state',
  'expiresAt',
  'activationsUsed',
  'tokenSerial',
];

/** Sends the new enrollment's mail now and says how that went. */
async function report(ctx: CommandContext, started: StartedEnrollment): Promise<void> {
  const core = await ctx.core();
  let mail = 'not sent (--no-mail)';
  if (started.mail) {
    const { deliverNow } = await import('../../mail/outbox.js');
    const { id, state } = await deliverNow(core, started.mail.id);
    mail =
      state === 'stored'
        ? `stored in the outbox (pforte outbox show ${id})`
        : state === 'sent'
          ? 'sent to the user'
          : 'not delivered yet; it will be retried (pforte outbox list)';
  }
  if (ctx.json) {
    printJSON(ctx.io, { id: started.id, link: started.link, expiresAt: started.expiresAt });
  } else {
    print(ctx.io, `enrollment ${started.id} for ${started.username}, expires ${started.expiresAt}`);
    print(ctx.io, `mail: ${mail}`);
    print(ctx.io, `link: ${started.link}`);
  }
}

/**
 * An administrator who names one user means it, so a user who holds a token is enrolled
 * all the same; the note says what becomes of the token they have (on standard error
 * with --json, so that the output stays one JSON value).
 */
async function noteTokensInUse(ctx: CommandContext, core: Core, username: string): Promise<void> {
  const { tokensInUse } = await import('../../enrollment/enrolled.js');
  const serials = await tokensInUse(core, username);
  if (serials.length === 0) return;
  const holds = `${username} holds ${serials.length === 1 ? 'token' : 'tokens'} ${serials.join(', ')} already`;
  const then = core.config.enrollment.replaceTokens
    ? `the new token replaces ${serials.length === 1 ? 'it' : 'them'} once it is active`
    : 'the new token is added beside it (enrollment.replaceTokens is off)';
  const note = `note: ${holds}; ${then}`;
  if (ctx.json) ctx.io.stderr.write(`${note}\n`);
  else print(ctx.io, note);
}

function lifetimeOf(value: unknown): number | undefined {
  return typeof value === 'string' ? parseLifetime(value) : undefined;
}

export const enrollCommands: Command[] = [
  {
    name: 'enroll',
    summary: 'Start self-enrollment: mail the user a link (or many users, from a CSV file)',
    usage:
      '<username> [--lifetime 7d] [--no-mail] [--json]  |  --csv <file> [--resend] [--replace] [--lifetime 7d] [--background|--dry-run]  |  --ldap-filter <filter> [--directory <name>] [--resend] [--replace] [--background|--dry-run]',
    help: [
      'A CSV row is a username (the user exists), or username,email,name,lang (the user is',
      'created if missing). A first row starting with "username" is taken as a header.',
      'Running it again mails no one twice: users who hold a token are skipped ("already',
      'enrolled") unless --replace enrolls them again (the new token replaces the old one once',
      'it is active); users whose enrollment is open are skipped unless --resend mails them a',
      'new link with a fresh lifetime. A link whose mail failed is mailed again in any case.',
      'A user who is not known yet is looked up in the configured directories. --ldap-filter',
      'enrolls everyone the filter finds in a directory (the first, or --directory), for example',
      "a group: --ldap-filter '(memberOf=cn=staff,ou=groups,dc=example,dc=org)'.",
      '--background hands the rows to the server (pforte serve) as a bulk run and prints its',
      'id: the server works it, resuming after a restart; pforte bulk-run show <id> follows it.',
      '--dry-run says what the rows would do (new users, skipped, invalid rows and why) and',
      'changes nothing.',
    ].join('\n'),
    args: ['username?'],
    options: {
      lifetime: { type: 'string' },
      'no-mail': { type: 'boolean' },
      csv: { type: 'string' },
      'ldap-filter': { type: 'string' },
      directory: { type: 'string' },
      resend: { type: 'boolean' },
      replace: { type: 'boolean' },
      background: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    },
    async run(ctx, options, [username]) {
      const lifetimeMs = lifetimeOf(options.lifetime);
      const bulk = {
        resend: options.resend === true,
        replace: options.replace === true,
        lifetimeMs,
      };
      if (typeof options.csv === 'string') {
        if (username) throw usageError('give a username or --csv, not both');
        const rows = await readCsvRows(options.csv);
        return handleRows(ctx, options, rows, { kind: 'csv', file: basename(options.csv) }, bulk);
      }
      if (typeof options['ldap-filter'] === 'string') {
        if (username) throw usageError('give a username or --ldap-filter, not both');
        const directory = typeof options.directory === 'string' ? options.directory : undefined;
        const core = await ctx.core();
        const filter = options['ldap-filter'];
        const { readDirectoryRows } = await import('../../enrollment/bulk-source.js');
        const rows = await readDirectoryRows(core, filter, directory);
        const from = directory ?? core.directories[0]!.name;
        return handleRows(ctx, options, rows, { kind: 'directory', directory: from, filter }, bulk);
      }
      if (!username) throw usageError('give a username, or --csv <file>');
      if (options.background || options['dry-run']) {
        throw usageError('--background and --dry-run go with --csv or --ldap-filter');
      }
      // One named user is enrolled whatever they hold; these choose among many.
      if (bulk.resend || bulk.replace) {
        throw usageError('--resend and --replace go with --csv or --ldap-filter');
      }
      const { startEnrollment } = await import('../../enrollment/enrollments.js');
      const core = await ctx.core();
      const started = await startEnrollment(core, ctx.caller, {
        username,
        ...(lifetimeMs ? { lifetimeMs } : {}),
        ...(options['no-mail'] ? { sendMail: false } : {}),
      });
      await report(ctx, started);
      await noteTokensInUse(ctx, core, started.username);
      return 0;
    },
  },
  {
    name: 'enrollment list',
    summary: 'List enrollments, newest first',
    usage: `[--state open|done|expired|cancelled] [--user <username>] ${PAGING_USAGE} [--json]`,
    options: { state: { type: 'string' }, user: { type: 'string' }, ...PAGING_OPTIONS },
    async run(ctx, options) {
      const { listEnrollments } = await import('../../enrollment/enrollments.js');
      const core = await ctx.core();
      const filter = {
        ...(typeof options.state === 'string' ? { state: options.state } : {}),
        ...(typeof options.user === 'string' ? { username: options.user.toLowerCase() } : {}),
      };
      const page = await readPages(
        (request) => listEnrollments(core, { ...filter, ...request }),
        readLimit(options),
        cursorOf(options),
      );
      if (ctx.json) printJSON(ctx.io, page.items);
      else {
        printTable(
          ctx.io,
          page.items.map((e) => ({ ...e, mail: e.mail?.state ?? '-' })),
          [...ENROLLMENT_COLUMNS, 'mail'],
          '(no enrollments)',
        );
      }
      sayWhereMoreIs(ctx.io, page);
      return 0;
    },
  },
  {
    name: 'enrollment resend',
    summary: 'Mail a new link for an open enrollment (the old link stops working)',
    usage: '<id> [--lifetime 7d] [--json]',
    help: 'The new link is good for the lifetime given, or the configured one, from now.',
    args: ['id'],
    options: { lifetime: { type: 'string' } },
    async run(ctx, options, [id]) {
      const lifetimeMs = lifetimeOf(options.lifetime);
      const { resendEnrollment } = await import('../../enrollment/enrollments.js');
      const core = await ctx.core();
      await report(
        ctx,
        await resendEnrollment(core, ctx.caller, id!, lifetimeMs ? { lifetimeMs } : {}),
      );
      return 0;
    },
  },
  {
    name: 'enrollment cancel',
    summary: 'Cancel an open enrollment: its link stops working',
    usage: '<id>',
    args: ['id'],
    async run(ctx, _options, [id]) {
      const { cancelEnrollment } = await import('../../enrollment/enrollments.js');
      const enrollment = await cancelEnrollment(await ctx.core(), ctx.caller, id!);
      if (ctx.json) printJSON(ctx.io, enrollment);
      else print(ctx.io, `cancelled enrollment ${enrollment.id} of ${enrollment.username}`);
      return 0;
    },
  },
];

/** A CSV file's rows; a file that cannot be read, or is not one, is a usage error. */
async function readCsvRows(file: string): Promise<BulkRow[]> {
  const { parseBulkCsv } = await import('../../enrollment/bulk-source.js');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    return parseBulkCsv(bytes);
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Bulk rows, enrolled now, queued for the server (--background) or only judged (--dry-run). */
async function handleRows(
  ctx: CommandContext,
  options: OptionValues,
  rows: BulkRow[],
  source: BulkRunSource,
  bulk: { resend: boolean; replace: boolean; lifetimeMs: number | undefined },
): Promise<number> {
  if (options.background && options['dry-run']) {
    throw usageError('give --background or --dry-run, not both');
  }
  if (options['dry-run']) return previewRows(ctx, rows, bulk);
  if (options.background) return queueRun(ctx, rows, source, bulk);
  return enrollRows(ctx, rows, bulk);
}

async function enrollRows(
  ctx: CommandContext,
  rows: BulkRow[],
  options: { resend: boolean; replace: boolean; lifetimeMs: number | undefined },
): Promise<number> {
  const { enrollMany } = await import('../../enrollment/bulk.js');
  const bar = progressBar(ctx.io.stderr);
  const summary = await enrollMany(quietCore(await ctx.core()), ctx.caller, rows, {
    resend: options.resend,
    replace: options.replace,
    ...(options.lifetimeMs ? { lifetimeMs: options.lifetimeMs } : {}),
    onProgress: (phase, done, total) =>
      bar.update(phase === 'enroll' ? 'enrolling' : 'sending mail', done, total),
  });
  bar.done();
  if (ctx.json) printJSON(ctx.io, summary);
  else printSummary(ctx, summary);
  return summary.failed.length > 0 ? 1 : 0;
}

/**
 * The core as a bulk run sees it from the terminal: every row says what became of it in
 * the summary, so log lines (a row's stack, a mail's warning) would only break into the
 * progress bar. They stay off the terminal unless the log level asks for debug.
 */
function quietCore(core: Core): Core {
  if (core.log.isLevelEnabled('debug')) return core;
  return { ...core, log: core.log.child({}, { level: 'silent' }) };
}

/**
 * Counts first, then a line for each row that needs a look. The rows skipped for being
 * enrolled or open already are what a second run is expected to skip: they are counted,
 * and listed with --json.
 */
function printSummary(ctx: CommandContext, summary: BulkSummary): void {
  const { total, sent, stored, skipped, failed } = summary;
  print(
    ctx.io,
    `${total} rows: ${sent} mailed, ${stored} in the outbox, ${skipped.length} skipped, ${failed.length} failed`,
  );
  print(
    ctx.io,
    `enrollments: ${summary.started} new, ${summary.resent} resent, ${summary.replaced} replaced; ` +
      `skipped: ${summary.alreadyEnrolled} already enrolled (--replace), ` +
      `${summary.openAlready} open already (--resend), ` +
      `${skipped.length - summary.alreadyEnrolled - summary.openAlready} other`,
  );
  for (const s of skipped) {
    if (s.kind === 'enrolled' || s.kind === 'open') continue;
    print(ctx.io, `skipped row ${s.row} (${cellText(s.username)}): ${s.reason}`);
  }
  for (const f of failed) {
    print(ctx.io, `failed row ${f.row} (${cellText(f.username)}): ${cellText(f.reason)}`);
  }
}
