/** `pforte token …`: import existing OATH secrets and manage tokens. */
import type { TokenAction } from '../../tokens/state.js';
import type { Token } from '../../tokens/view.js';
import { usageError, type Command, type CommandContext } from '../command.js';
import { print, printJSON, printTable, readSecret } from '../io.js';
import {
  cursorOf,
  PAGING_OPTIONS,
  PAGING_USAGE,
  readLimit,
  readPages,
  sayWhereMoreIs,
} from '../paging.js';

const TOKEN_COLUMNS = [
  'serial',
  'username',
  'type',
  'algorithm',
  'digits',
  'state',
  'failCount',
  'lastUsedAt',
];

function showToken(ctx: CommandContext, token: Token, message: string): void {
  if (ctx.json) printJSON(ctx.io, token);
  else print(ctx.io, message);
}

/** Which option a secret read from standard input stands for, by its form. */
function secretOption(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('otpauth://')) return { otpauth: trimmed };
  if (/^0x/i.test(trimmed)) return { 'secret-hex': trimmed.slice(2) };
  return { secret: trimmed };
}

function integerOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) {
    throw usageError(`--${name} must be a whole number`);
  }
  return Number(value);
}

export const tokenCommands: Command[] = [
  {
    name: 'token add',
    summary: 'Import an existing OATH secret (as for hardware tokens); prints the new serial',
    usage:
      '<username> (--secret <base32> | --secret-hex <hex> | --otpauth <uri> | --secret-stdin) [--type totp|hotp] [--algorithm SHA1|SHA256|SHA512] [--digits 6|8] [--period 30|60] [--counter N] [--description <text>]',
    help: [
      'A secret on the command line can be seen by other users (ps) and stays in the shell history;',
      '--secret-stdin reads it from standard input instead: base32, hex (0x…) or an otpauth:// URI.',
    ].join('\n'),
    args: ['username'],
    options: {
      secret: { type: 'string' },
      'secret-hex': { type: 'string' },
      otpauth: { type: 'string' },
      'secret-stdin': { type: 'boolean' },
      type: { type: 'string' },
      algorithm: { type: 'string' },
      digits: { type: 'string' },
      period: { type: 'string' },
      counter: { type: 'string' },
      description: { type: 'string' },
    },
    async run(ctx, o, [username]) {
      if (o['secret-stdin']) Object.assign(o, secretOption(await readSecret(ctx.io, 'secret')));
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const digits = integerOption(o.digits, 'digits');
      const period = integerOption(o.period, 'period');
      const counter = integerOption(o.counter, 'counter');
      const { importToken } = await import('../../tokens/tokens.js');
      const token = await importToken(await ctx.core(), ctx.caller, {
        username: username!,
        ...(str(o.secret) !== undefined ? { secret: str(o.secret) } : {}),
        ...(str(o['secret-hex']) !== undefined ? { secretHex: str(o['secret-hex']) } : {}),
        ...(str(o.otpauth) !== undefined ? { otpauth: str(o.otpauth) } : {}),
        ...(str(o.type) !== undefined ? { type: str(o.type) } : {}),
        ...(str(o.algorithm) !== undefined ? { algorithm: str(o.algorithm) } : {}),
        ...(digits !== undefined ? { digits } : {}),
        ...(period !== undefined ? { period } : {}),
        ...(counter !== undefined ? { counter } : {}),
        ...(str(o.description) !== undefined ? { description: str(o.description) } : {}),
      });
      showToken(ctx, token, token.serial);
      return 0;
    },
  },
  {
    name: 'token list',
    summary: 'List tokens',
    usage: `[--user <username>] ${PAGING_USAGE} [--json]`,
    options: { user: { type: 'string' }, ...PAGING_OPTIONS },
    async run(ctx, options) {
      const { listTokens } = await import('../../tokens/tokens.js');
      const core = await ctx.core();
      const filter = typeof options.user === 'string' ? { username: options.user } : {};
      const page = await readPages(
        (request) => listTokens(core, { ...filter, ...request }),
        readLimit(options),
        cursorOf(options),
      );
      if (ctx.json) printJSON(ctx.io, page.items);
      else
        printTable(
          ctx.io,
          page.items as unknown as Record<string, unknown>[],
          TOKEN_COLUMNS,
          '(no tokens)',
        );
      sayWhereMoreIs(ctx.io, page);
      return 0;
    },
  },
  {
    name: 'token show',
    summary: 'Show a token',
    usage: '<serial> [--json]',
    args: ['serial'],
    async run(ctx, _options, [serial]) {
      const { getToken } = await import('../../tokens/tokens.js');
      const token = await getToken(await ctx.core(), serial!);
      if (ctx.json) printJSON(ctx.io, token);
      else {
        printTable(
          ctx.io,
          [token as unknown as Record<string, unknown>],
          [
            ...TOKEN_COLUMNS,
            token.type === 'totp' ? 'period' : 'counter',
            ...(token.state === 'locked' ? ['lockedUntil'] : []),
          ],
        );
      }
      return 0;
    },
  },
  ...(['disable', 'enable', 'revoke', 'unlock'] as TokenAction[]).map((action): Command => ({
    name: `token ${action}`,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} a token`,
    usage: '<serial>',
    args: ['serial'],
    async run(ctx, _options, [serial]) {
      const { changeTokenState } = await import('../../tokens/state.js');
      const token = await changeTokenState(await ctx.core(), ctx.caller, serial!, action);
      showToken(ctx, token, `token ${token.serial} is ${token.state}`);
      return 0;
    },
  })),
  {
    name: 'token resync',
    summary: 'Resynchronise a token (HOTP counter, TOTP clock drift) with two consecutive codes',
    usage: '<serial> <code1> <code2>',
    args: ['serial', 'code1', 'code2'],
    async run(ctx, _options, [serial, code1, code2]) {
      const { resyncToken } = await import('../../tokens/resync.js');
      const token = await resyncToken(await ctx.core(), ctx.caller, serial!, code1!, code2!);
      showToken(
        ctx,
        token,
        token.type === 'hotp'
          ? `token ${token.serial} resynchronised; next counter ${token.counter}`
          : `token ${token.serial} resynchronised to its authenticator's clock`,
      );
      return 0;
    },
  },
];
