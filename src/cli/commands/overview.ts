/** `pforte overview`: the figures of the console's overview, in the terminal. */
import type { Command } from '../command.js';
import { print, printJSON } from '../io.js';

export const overviewCommands: Command[] = [
  {
    name: 'overview',
    summary: 'Users, tokens and enrollments by state, the last 24 hours of sign-ins',
    usage: '[--json]',
    async run(ctx) {
      const { readOverview } = await import('../../overview/overview.js');
      const o = await readOverview(await ctx.core());
      if (ctx.json) {
        printJSON(ctx.io, o);
        return 0;
      }
      const states = (counts: Record<string, number>) =>
        Object.entries(counts)
          .map(([state, n]) => `${n} ${state}`)
          .join(', ');
      print(ctx.io, `users            ${o.users}`);
      print(ctx.io, `tokens           ${states(o.tokens)}`);
      print(ctx.io, `locked now       ${o.lockedNow}`);
      print(ctx.io, `enrollments      ${states(o.enrollments)}`);
      print(
        ctx.io,
        `sign-ins (24 h)  ${o.signIns24h.accepted} accepted, ${o.signIns24h.refused} refused`,
      );
      print(ctx.io, `mail failed      ${o.mailFailed}`);
      return 0;
    },
  },
];
