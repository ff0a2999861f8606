/** `pforte validate`: the sign-in decision from the command line (exit 0 accept, 1 reject). */
import { usageError, type Command } from '../command.js';
import { print, printJSON, readSecret } from '../io.js';

export const validateCommands: Command[] = [
  {
    name: 'validate',
    summary: 'Check a username + passcode (+ password); exit 0 on accept, 1 on reject',
    usage: '<username> --otp <code> [--password-stdin] [--json]',
    args: ['username'],
    options: { otp: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run(ctx, options, [username]) {
      if (typeof options.otp !== 'string') throw usageError('--otp <code> is required');
      const password = options['password-stdin'] ? await readSecret(ctx.io, 'password') : undefined;
      const { decideSignIn } = await import('../../signin/decide.js');
      const decision = await decideSignIn(await ctx.core(), ctx.caller, {
        username: username!,
        otp: options.otp,
        ...(password !== undefined ? { password } : {}),
      });
      // The CLI is an administrator's tool: it may say when to retry, never why a sign-in failed.
      if (ctx.json) {
        printJSON(ctx.io, {
          result: decision.result,
          ...(decision.throttled ? { retryAfter: decision.retryAfter } : {}),
        });
      } else {
        print(ctx.io, decision.result);
        if (decision.throttled) {
          ctx.io.stderr.write(`too many failed attempts; wait ${decision.retryAfter}s\n`);
        }
      }
      return decision.result === 'accept' ? 0 : 1;
    },
  },
];
