/** `pforte token temporary`: a temporary code for a user whose phone is lost or broken. */
import { usageError, type Command } from '../command.js';
import { print, printJSON } from '../io.js';

function wholeNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value)) {
    throw usageError(`${flag} must be a whole number`);
  }
  return Number(value);
}

export const temporaryCommands: Command[] = [
  {
    name: 'token temporary',
    summary: 'Issue a temporary code (lost or broken phone); it is shown once',
    usage: '<username> [--hours 8] [--uses 10] [--json]',
    args: ['username'],
    options: { hours: { type: 'string' }, uses: { type: 'string' } },
    async run(ctx, options, [username]) {
      const hours = wholeNumber(options.hours, '--hours');
      const uses = wholeNumber(options.uses, '--uses');
      const { issueTemporaryAccess } = await import('../../temporary/temporary-access.js');
      const issued = await issueTemporaryAccess(await ctx.core(), ctx.caller, username!, {
        ...(hours !== undefined ? { hours } : {}),
        ...(uses !== undefined ? { uses } : {}),
      });
      if (ctx.json) printJSON(ctx.io, issued);
      else {
        print(ctx.io, `temporary code for ${issued.username}: ${issued.code}`);
        print(
          ctx.io,
          `works with the user's password, ${issued.uses} times, until ${issued.expiresAt}, or until a new token is active`,
        );
      }
      return 0;
    },
  },
];
