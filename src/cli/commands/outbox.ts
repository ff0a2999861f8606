/** `pforte outbox …`: the mail Pforte sent or keeps (without SMTP, the only copy). */
import { MAIL_STATES } from '../../mail/states.js';
import type { MailState } from '../../store/tables.js';
import { usageError, type Command, type OptionValues } from '../command.js';
import type { CliIO } from '../io.js';
import { print, printJSON, printTable } from '../io.js';
import { readLimit, readPages } from '../paging.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

export const outboxCommands: Command[] = [
  {
    name: 'outbox list',
    summary: 'List mail, newest first: stored, queued, sent or failed',
    usage: `[--state ${MAIL_STATES.join('|')}] [--limit N] [--json]`,
    help: `Shows the newest ${DEFAULT_LIMIT} messages unless --limit says how many (at most ${MAX_LIMIT}); when there are more, a line on standard error says how many.`,
    options: { state: { type: 'string' }, limit: { type: 'string' } },
    async run(ctx, options) {
      const state = readState(options);
      const limit = readLimit(options, DEFAULT_LIMIT, MAX_LIMIT);
      const { countOutbox, listOutbox } = await import('../../mail/outbox.js');
      const core = await ctx.core();
      const page = await readPages(
        (request) => listOutbox(core, { ...(state ? { state } : {}), ...request }),
        limit,
        undefined,
      );
      const messages = page.items;
      if (ctx.json) printJSON(ctx.io, messages);
      else {
        printTable(
          ctx.io,
          messages as unknown as Record<string, unknown>[],
          ['id', 'state', 'to', 'subject', 'attempts', 'createdAt', 'lastError'],
          '(no mail)',
        );
      }
      // Only when there are more is everything counted, to say how many.
      if (page.next !== undefined) {
        sayThereIsMore(ctx.io, limit, await countOutbox(core, state ? { state } : {}));
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
      const { getMail } = await import('../../mail/outbox.js');
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
  {
    name: 'outbox retry',
    summary: 'Queue a failed message again; the server sends it at its next round',
    usage: '<id> [--json]',
    args: ['id'],
    async run(ctx, _options, [id]) {
      const { retryMail } = await import('../../mail/retry.js');
      const mail = await retryMail(await ctx.core(), ctx.caller, id!);
      if (ctx.json) printJSON(ctx.io, mail);
      else print(ctx.io, `queued message ${mail.id} to ${mail.to} again`);
      return 0;
    },
  },
];

function readState(options: OptionValues): MailState | undefined {
  if (options.state === undefined) return undefined;
  const state = String(options.state);
  if (!(MAIL_STATES as readonly string[]).includes(state)) {
    throw usageError(`--state must be one of ${MAIL_STATES.join(', ')}`);
  }
  return state as MailState;
}

/** On standard error, so that the table and the JSON on standard output stay whole. */
function sayThereIsMore(io: CliIO, shown: number, total: number): void {
  io.stderr.write(
    `showing the newest ${shown} of ${total} messages; --limit ${Math.min(total, MAX_LIMIT)} shows ${total > MAX_LIMIT ? `the newest ${MAX_LIMIT}` : 'them all'}\n`,
  );
}
