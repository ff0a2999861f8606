/**
 * `pforte bulk-run …`: the bulk enrollment runs the server works in the background
 * (started by `pforte enroll --csv <file> --background`, the console or REST), the same
 * runs every operator sees in the console.
 */
import type { BulkRow } from '../../enrollment/bulk.js';
import type { BulkRun, BulkRunSource } from '../../enrollment/bulk-runs.js';
import type { Command, CommandContext } from '../command.js';
import { cellText, print, printJSON, printTable } from '../io.js';
import {
  cursorOf,
  PAGING_OPTIONS,
  PAGING_USAGE,
  readLimit,
  readPages,
  sayWhereMoreIs,
} from '../paging.js';

/** One line of what a run did so far, as `enroll --csv` says it at its end. */
export function describeRun(run: BulkRun): string {
  const c = run.counts;
  return (
    `${run.done} of ${run.total} rows: ${c.started} new, ${c.resent} resent, ${c.replaced} replaced; ` +
    `skipped ${c.alreadyEnrolled} already enrolled, ${c.openAlready} open already, ${c.skipped} other; ` +
    `${c.failed} failed; mail: ${c.sent} sent, ${c.stored} in the outbox`
  );
}

function printRun(ctx: CommandContext, run: BulkRun): void {
  const source =
    run.source.kind === 'csv'
      ? `file ${run.source.file}`
      : run.source.kind === 'directory'
        ? `directory ${run.source.directory}, filter ${run.source.filter}`
        : 'a list of rows';
  print(ctx.io, `bulk run ${run.id}: ${run.state}${run.failure ? ` (${run.failure})` : ''}`);
  print(
    ctx.io,
    `started by ${cellText(run.startedBy)} at ${run.createdAt}, from ${cellText(source)}`,
  );
  print(ctx.io, describeRun(run));
}

interface RowOptions {
  resend: boolean;
  replace: boolean;
  lifetimeMs: number | undefined;
}

/** `enroll --background`: the rows as a run for the server's background job; prints its id. */
export async function queueRun(
  ctx: CommandContext,
  rows: BulkRow[],
  source: BulkRunSource,
  options: RowOptions,
): Promise<number> {
  const { createBulkRun } = await import('../../enrollment/bulk-runs.js');
  const run = await createBulkRun(await ctx.core(), ctx.caller, {
    rows,
    source,
    options: { ...options, lifetimeMs: options.lifetimeMs ?? null },
  });
  if (ctx.json) printJSON(ctx.io, run);
  else {
    print(ctx.io, run.id);
    ctx.io.stderr.write(
      `bulk run ${run.id} queued with ${run.total} rows; the server works it (pforte bulk-run show ${run.id})\n`,
    );
  }
  return 0;
}

/** `enroll --dry-run`: what the rows would do now, as the console's preview says it; nothing changes. */
export async function previewRows(
  ctx: CommandContext,
  rows: BulkRow[],
  options: RowOptions,
): Promise<number> {
  const { previewBulkRows } = await import('../../enrollment/bulk-preview.js');
  const preview = await previewBulkRows(await ctx.core(), rows, options);
  if (ctx.json) {
    printJSON(ctx.io, preview);
    return 0;
  }
  print(
    ctx.io,
    `${preview.total} rows would enroll ${preview.newUsers} new users, ${preview.started} known users, ` +
      `${preview.replaced} again (--replace), and mail ${preview.resent} open ones a new link (--resend); ` +
      `skip ${preview.alreadyEnrolled} already enrolled, ${preview.openAlready} open already; ` +
      `${preview.invalid.length} invalid`,
  );
  for (const row of preview.invalid) {
    print(ctx.io, `invalid row ${row.row} (${cellText(row.username)}): ${cellText(row.reason)}`);
  }
  return 0;
}

export const bulkRunCommands: Command[] = [
  {
    name: 'bulk-run list',
    summary: 'List bulk enrollment runs, newest first, with how far each is',
    usage: `${PAGING_USAGE} [--json]`,
    options: { ...PAGING_OPTIONS },
    async run(ctx, options) {
      const { listBulkRuns } = await import('../../enrollment/bulk-runs.js');
      const core = await ctx.core();
      const page = await readPages(
        (request) => listBulkRuns(core, request),
        readLimit(options),
        cursorOf(options),
      );
      if (ctx.json) printJSON(ctx.io, page.items);
      else {
        printTable(
          ctx.io,
          page.items.map((run) => ({ ...run, progress: `${run.done}/${run.total}` })),
          ['id', 'state', 'progress', 'startedBy', 'createdAt', 'finishedAt'],
          '(no bulk runs)',
        );
      }
      sayWhereMoreIs(ctx.io, page);
      return 0;
    },
  },
  {
    name: 'bulk-run show',
    summary: 'Show a bulk enrollment run: its state and what became of its rows',
    usage: '<id> [--json]',
    args: ['id'],
    async run(ctx, _options, [id]) {
      const { getBulkRun } = await import('../../enrollment/bulk-runs.js');
      const run = await getBulkRun(await ctx.core(), id!);
      if (ctx.json) printJSON(ctx.io, run);
      else printRun(ctx, run);
      return 0;
    },
  },
  {
    name: 'bulk-run failed',
    summary: 'List the rows of a run that failed or named no usable user, with the reason',
    usage: `<id> ${PAGING_USAGE} [--json]`,
    args: ['id'],
    options: { ...PAGING_OPTIONS },
    async run(ctx, options, [id]) {
      const { listBulkRunProblems } = await import('../../enrollment/bulk-runs.js');
      const core = await ctx.core();
      const page = await readPages(
        (request) => listBulkRunProblems(core, id!, request),
        readLimit(options),
        cursorOf(options),
      );
      if (ctx.json) printJSON(ctx.io, page.items);
      else
        printTable(
          ctx.io,
          page.items.map((p) => ({ ...p })),
          ['row', 'username', 'kind', 'reason'],
          '(no failed rows)',
        );
      sayWhereMoreIs(ctx.io, page);
      return 0;
    },
  },
  {
    name: 'bulk-run cancel',
    summary: 'Cancel a run: it stops before its next row; rows done stay done',
    usage: '<id> [--json]',
    args: ['id'],
    async run(ctx, _options, [id]) {
      const { cancelBulkRun } = await import('../../enrollment/bulk-runs.js');
      const run = await cancelBulkRun(await ctx.core(), ctx.caller, id!);
      if (ctx.json) printJSON(ctx.io, run);
      else printRun(ctx, run);
      return 0;
    },
  },
];
