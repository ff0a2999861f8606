/** `pforte audit …`: read the audit log and verify its hash chain. */
import type { AuditQuery } from '../../audit/record.js';
import { AUDIT_FACES, AUDIT_OUTCOMES } from '../../audit/vocabulary.js';
import { usageError, type Command, type OptionValues } from '../command.js';
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
    usage: `[--user <username>] [--action <action>] [--outcome ${AUDIT_OUTCOMES.join('|')}] [--face <face>] [--address <address>] [--since <ISO time>] [--until <ISO time>] ${PAGING_USAGE} [--json]`,
    help: `Each option narrows the list: --face is one of ${AUDIT_FACES.join(', ')}; --since includes its moment, --until stops before it.`,
    options: {
      user: { type: 'string' },
      action: { type: 'string' },
      outcome: { type: 'string' },
      face: { type: 'string' },
      address: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      ...PAGING_OPTIONS,
    },
    async run(ctx, options) {
      const { listAudit } = await import('../../audit/record.js');
      const filter = readFilter(options);
      const limit = readLimit(options);
      const core = await ctx.core();
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
      const { checkAuditChain } = await import('../../audit/check.js');
      const report = await checkAuditChain(await ctx.core(), ctx.caller);
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

/** The filters of `audit list`, each checked as the REST query checks it. */
function readFilter(options: OptionValues): AuditQuery {
  const text = (name: string) => (typeof options[name] === 'string' ? options[name] : undefined);
  const time = (name: 'since' | 'until') => {
    const given = text(name);
    if (given === undefined) return undefined;
    const ms = Date.parse(given);
    if (Number.isNaN(ms)) throw usageError(`--${name} must be a time such as 2026-11-29T08:00:00Z`);
    return ms;
  };
  const oneOf = <T extends string>(name: string, choices: readonly T[]): T | undefined => {
    const given = text(name);
    if (given === undefined || (choices as readonly string[]).includes(given)) {
      return given as T | undefined;
    }
    throw usageError(`--${name} must be one of ${choices.join(', ')}`);
  };
  const user = text('user');
  const action = text('action');
  const address = text('address');
  const outcome = oneOf('outcome', AUDIT_OUTCOMES);
  const face = oneOf('face', AUDIT_FACES);
  const since = time('since');
  const until = time('until');
  return {
    ...(user ? { username: user.toLowerCase() } : {}),
    ...(action ? { action } : {}),
    ...(outcome ? { outcome } : {}),
    ...(face ? { face } : {}),
    ...(address ? { address } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}
