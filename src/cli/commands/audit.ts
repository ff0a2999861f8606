/** `pforte audit …`: read the audit log and verify its hash chain. */
import { verifyAuditChain } from '../../audit/chain.js';
import { listAudit } from '../../audit/record.js';
import { usageError, type Command } from '../command.js';
import { print, printJSON, printTable } from '../io.js';
import {
  cursorOf,
  PAGING_OPTIONS,
  PAGING_USAGE,
  readLimit,
  readPages,
  sayWhereMoreIs,
} from '../paging.js';

export const auditCommands: Command[] = [
  {
    name: 'audit list',
    summary: 'Show the audit log, newest first',
    usage: `[--user <username>] [--since <ISO time>] ${PAGING_USAGE} [--json]`,
    options: { user: { type: 'string' }, since: { type: 'string' }, ...PAGING_OPTIONS },
    async run(ctx, options) {
      const since = typeof options.since === 'string' ? Date.parse(options.since) : undefined;
      if (Number.isNaN(since))
        throw usageError('--since must be a time such as 2026-11-29T08:00:00Z');
      const limit = readLimit(options);
      const core = await ctx.core();
      const filter = {
        ...(typeof options.user === 'string' ? { username: options.user.toLowerCase() } : {}),
        ...(since !== undefined ? { since } : {}),
      };
      const page = await readPages(
        (request) => listAudit(core, { ...filter, ...request }),
        limit,
        cursorOf(options),
      );
      if (ctx.json) printJSON(ctx.io, page.items);
      else {
        printTable(
          ctx.io,
          page.items as unknown as Record<string, unknown>[],
          ['at', 'face', 'actor', 'action', 'outcome', 'reason', 'username', 'serial', 'address'],
          '(no events)',
        );
      }
      sayWhereMoreIs(ctx.io, page);
      return 0;
    },
  },
  {
    name: 'audit verify',
    summary: "Check the audit log's hash chain; exit 0 when it is intact",
    usage: '[--json]',
    async run(ctx) {
      const report = await verifyAuditChain(await ctx.core());
      if (ctx.json) printJSON(ctx.io, report);
      else if (report.intact) print(ctx.io, `audit log intact: ${report.checked} events`);
      else {
        print(
          ctx.io,
          `audit log BROKEN at event ${report.problem!.seq}: ${report.problem!.reason} (${report.checked} events intact before it)`,
        );
      }
      return report.intact ? 0 : 1;
    },
  },
];
