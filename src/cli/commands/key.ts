/** `pforte key …`: the master keys, and rotating them while servers run (docs/key-rotation.md). */
import { usageError, type Command } from '../command.js';
import { print, printJSON, printTable } from '../io.js';
import { progressBar } from '../progress.js';

export const keyCommands: Command[] = [
  {
    name: 'key list',
    summary: 'Show the master keys, which one is current and what is sealed under each',
    usage: '[--json]',
    help: 'source says where this server has the key from (empty: it does not have it).',
    async run(ctx) {
      const { listKeys } = await import('../../crypto/rotation.js');
      const keys = await listKeys(await ctx.core());
      if (ctx.json) printJSON(ctx.io, keys);
      else {
        printTable(
          ctx.io,
          keys.map((key) => ({ ...key, current: key.current ? 'yes' : '' })),
          ['id', 'current', 'source', 'tokenSecrets', 'auditChain', 'temporaryCodes'],
          '(no keys)',
        );
      }
      return 0;
    },
  },
  {
    name: 'key rotate',
    summary: 'Make a new master key current and re-seal everything under it',
    usage: '[--to <key id>] [--batch <n>] [--json]',
    help: [
      'Without --to: the configured key if the database is still sealed with another (PFORTE_MASTER_KEY',
      'set to the new key), else a new key written to master.key, the old one kept as master-<key id>.key.',
      'Servers on this machine learn the new key by themselves; servers elsewhere need it first:',
      'see docs/key-rotation.md. Re-seals --batch values per transaction (200) while servers run.',
    ].join('\n'),
    options: { to: { type: 'string' }, batch: { type: 'string' } },
    async run(ctx, options) {
      const batch = options.batch === undefined ? undefined : Number(options.batch);
      if (batch !== undefined && !(Number.isInteger(batch) && batch >= 1 && batch <= 10_000)) {
        throw usageError('--batch must be a whole number from 1 to 10000');
      }
      const { listKeys, rotateMasterKey } = await import('../../crypto/rotation.js');
      const core = await ctx.core();
      const total = (await listKeys(core)).reduce((n, k) => n + k.tokenSecrets + k.auditChain, 0);
      const bar = progressBar(ctx.io.stderr);
      const report = await rotateMasterKey(core, ctx.caller, {
        ...(typeof options.to === 'string' ? { to: options.to } : {}),
        ...(batch ? { batch } : {}),
        onBatch: (done) => bar.update('re-sealing', Math.min(done, total), total),
      });
      bar.done();
      if (ctx.json) printJSON(ctx.io, report);
      else {
        print(
          ctx.io,
          `master key ${report.to} is current${report.created ? ' (new, in master.key)' : ''}; ${report.resealed} values re-sealed under it`,
        );
        if (report.remaining > 0) {
          print(
            ctx.io,
            `${report.remaining} values are still under another key (${report.failed} did not open); see pforte key list`,
          );
        } else print(ctx.io, `nothing is sealed under ${report.from} any more`);
      }
      return report.remaining === 0 ? 0 : 1;
    },
  },
  {
    name: 'key retire',
    summary: 'Remove a master key nothing is sealed under any more',
    usage: '<key id> [--json]',
    args: ['key id'],
    help: 'Refuses (exit 1) while anything is still sealed under the key, or live temporary codes use it.',
    async run(ctx, _options, [id]) {
      const { retireKey } = await import('../../crypto/rotation.js');
      const result = await retireKey(await ctx.core(), ctx.caller, id!);
      if (ctx.json) printJSON(ctx.io, { id, ...result });
      else {
        print(
          ctx.io,
          `master key ${id} retired${result.removedFile ? ': its key file is gone' : ''}`,
        );
        if (result.inEnvironment) {
          print(ctx.io, 'remove it from PFORTE_MASTER_KEYS_PREVIOUS on every server');
        }
      }
      return 0;
    },
  },
];
