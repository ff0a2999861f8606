/** `pforte enrollment remind`: a new link for every open enrollment, as the console's "Remind all pending". */
import { parseLifetime } from '../../enrollment/lifetime.js';
import type { Command } from '../command.js';
import { cellText, print, printJSON } from '../io.js';

export const remindCommands: Command[] = [
  {
    name: 'enrollment remind',
    summary:
      'Mail each open enrollment a new link with a renewed lifetime (done, expired, cancelled ones are left)',
    usage: '[--batch <run id>] [--lifetime 7d] [--json]',
    help: 'With --batch, only the open enrollments that bulk run started.',
    options: { lifetime: { type: 'string' }, batch: { type: 'string' } },
    async run(ctx, options) {
      const lifetimeMs =
        typeof options.lifetime === 'string' ? parseLifetime(options.lifetime) : undefined;
      const { remindPending } = await import('../../enrollment/remind.js');
      const core = await ctx.core();
      const summary = await remindPending(core, ctx.caller, {
        ...(lifetimeMs ? { lifetimeMs } : {}),
        ...(typeof options.batch === 'string' ? { batch: options.batch.toUpperCase() } : {}),
      });
      if (ctx.json) printJSON(ctx.io, summary);
      else {
        print(
          ctx.io,
          `${summary.reminded} reminded: ${summary.sent} mailed, ${summary.stored} in the outbox, ${summary.failed.length} failed`,
        );
        for (const f of summary.failed) {
          print(ctx.io, `failed ${f.id} (${cellText(f.username)}): ${cellText(f.reason)}`);
        }
      }
      return summary.failed.length > 0 ? 1 : 0;
    },
  },
];
