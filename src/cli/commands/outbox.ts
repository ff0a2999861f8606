/** `pforte outbox …`: the mail Pforte sent or keeps (without SMTP, the only copy). */
import { getMail, listOutbox } from '../../mail/outbox.js';
import type { Command } from '../command.js';
import { print, printJSON, printTable } from '../io.js';

export const outboxCommands: Command[] = [
  {
    name: 'outbox list',
    summary: 'List mail, newest first: stored, queued, sent or failed',
    usage: '[--state stored|queued|sent|failed] [--limit N] [--json]',
    options: { state: { type: 'string' }, limit: { type: 'string' } },
    async run(ctx, options) {
      const limit = typeof options.limit === 'string' ? Number(options.limit) : 100;
      const messages = await listOutbox(await ctx.core(), {
        ...(typeof options.state === 'string' ? { state: options.state } : {}),
        limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 10_000) : 100,
      });
      if (ctx.json) printJSON(ctx.io, messages);
      else {
        printTable(
          ctx.io,
          messages as unknown as Record<string, unknown>[],
          ['id', 'state', 'to', 'subject', 'attempts', 'createdAt', 'lastError'],
          '(no mail)',
        );
      }
      return 0;
    },
  },
  {
    name: 'outbox show',
    summary: 'Show one message with its text (sent messages keep no text: it held a live link)',
    usage: '<id> [--json]',
    args: ['id'],
    async run(ctx, _options, [id]) {
      const mail = await getMail(await ctx.core(), id!);
      if (ctx.json) printJSON(ctx.io, mail);
      else {
        print(
          ctx.io,
          [
            `To: ${mail.to}`,
            `Subject: ${mail.subject}`,
            `State: ${mail.state}${mail.lastError ? ` (${mail.lastError})` : ''}`,
            '',
            mail.text || '(text erased after sending)',
          ].join('\n'),
        );
      }
      return 0;
    },
  },
];
