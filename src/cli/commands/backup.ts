/**
 * `pforte backup` and `pforte restore`: the embedded SQLite database to a file and back
 * (src/backup/). PostgreSQL has its own tools; docs/backup.md gives the commands.
 */
import { join, resolve } from 'node:path';
import type { ChainReport } from '../../audit/chain.js';
import type { DatabaseSummary } from '../../backup/database-file.js';
import type { Config } from '../../config/schema.js';
import { PforteError } from '../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { print, printJSON } from '../io.js';

export const backupCommands: Command[] = [
  {
    name: 'backup',
    summary: 'Copy the SQLite database to a file while the server runs (not the master key)',
    usage: '<file> [--force] [--json]',
    args: ['file'],
    options: { force: { type: 'boolean' } },
    help: 'The copy is one consistent moment of the database (VACUUM INTO), written with mode 0600; an existing file is replaced only with --force. The master key is not in it: keep a copy of the key apart from the backups. PostgreSQL: use pg_dump (docs/backup.md).',
    async run(ctx, options, [file]) {
      refusePostgres(ctx.config, 'pforte backup', 'back it up with pg_dump -Fc');
      const path = resolve(file!);
      const { backupDatabase } = await import('../../backup/backup.js');
      const summary = backupDatabase({
        dataDir: ctx.config.dataDir,
        file: path,
        force: options.force === true,
      });
      const key = await whereTheKeyIs(ctx.config);
      if (ctx.json) {
        printJSON(ctx.io, { file: path, ...summary, masterKey: key });
        return 0;
      }
      print(ctx.io, `backed up to ${path}: ${describeSummary(summary)}`);
      print(
        ctx.io,
        `the master key is not in the backup: keep a copy of ${key.file ?? 'PFORTE_MASTER_KEY'}${sealedNote(summary)} apart from it; without that key the backup cannot be used`,
      );
      return 0;
    },
  },
  {
    name: 'restore',
    summary: "Restore a backup into a data folder's SQLite database, then verify the audit log",
    usage: '<file> [--data-dir <folder>] [--force] [--json]',
    args: ['file'],
    options: { 'data-dir': { type: 'string' }, force: { type: 'boolean' } },
    help: "Refuses while a server (or another pforte command) has the folder's database open, and replaces an existing database only with --force. The folder needs the master key the backup is sealed with (its master.key file, or PFORTE_MASTER_KEY); then the audit chain is checked as pforte audit verify does. Exit 0 when the chain is intact.",
    async run(ctx, options, [file]) {
      const dataDir =
        typeof options['data-dir'] === 'string' ? resolve(options['data-dir']) : ctx.config.dataDir;
      if (typeof options['data-dir'] !== 'string') {
        refusePostgres(ctx.config, 'pforte restore', 'restore it with pg_restore');
      }
      const { restoreDatabase } = await import('../../backup/restore.js');
      const { MASTER_KEY_FILE } = await import('../../crypto/master-key.js');
      const restored = restoreDatabase({
        file: resolve(file!),
        dataDir,
        force: options.force === true,
      });
      if (!ctx.json) {
        print(ctx.io, `restored into ${restored.path}: ${describeSummary(restored.summary)}`);
      }
      const opened = await verifyRestoredChain(ctx, dataDir);
      if ('keyProblem' in opened) {
        ctx.io.stderr.write(
          `pforte restore: warning: the backup is sealed with master key ${restored.summary.sealedWith ?? '(none yet)'}, but ${opened.keyProblem}. ` +
            `Put the key saved with the backup in ${join(dataDir, MASTER_KEY_FILE)} (mode 0600) or PFORTE_MASTER_KEY, then run pforte audit verify: ` +
            'the audit chain is not checked until then\n',
        );
        if (ctx.json) printJSON(ctx.io, { ...restored, auditChain: null });
        return 1;
      }
      const { chain } = opened;
      if (ctx.json) printJSON(ctx.io, { ...restored, auditChain: chain });
      else if (chain.intact) print(ctx.io, `audit log intact: ${chain.checked} events`);
      else {
        print(
          ctx.io,
          `audit log BROKEN at event ${chain.problem!.seq}: ${chain.problem!.reason} (${chain.checked} events intact before it)`,
        );
      }
      return chain.intact ? 0 : 1;
    },
  },
];

function refusePostgres(config: Readonly<Config>, command: string, instead: string): void {
  if (!config.database.url) return;
  throw new PforteError(
    'ERR_CONFIG',
    `${command} works on the embedded SQLite database, and this one is PostgreSQL: ${instead} (docs/backup.md)`,
  );
}

/**
 * Checks the restored folder's audit chain as `pforte audit verify` does, and seals what
 * is pending. Opening the database is what a server would do: the core refuses a folder
 * without the key the backup is sealed with. A folder without any key gets no new one.
 */
async function verifyRestoredChain(
  ctx: CommandContext,
  dataDir: string,
): Promise<{ chain: ChainReport } | { keyProblem: string }> {
  const { hasMasterKey } = await import('../../backup/restore.js');
  const { MASTER_KEY_FILE } = await import('../../crypto/master-key.js');
  const { closeCore, openCore } = await import('../../core.js');
  const { createLogger } = await import('../../log.js');
  const { checkAuditChain } = await import('../../audit/check.js');
  const { sealAuditEvents } = await import('../../audit/chain.js');
  if (!hasMasterKey(ctx.config, dataDir)) {
    return { keyProblem: `${dataDir} has no ${MASTER_KEY_FILE} and PFORTE_MASTER_KEY is not set` };
  }
  const config: Readonly<Config> = {
    ...ctx.config,
    dataDir,
    database: { ...ctx.config.database, url: '' },
  };
  const level = config.log.level === 'info' ? 'warn' : config.log.level;
  let core;
  try {
    core = await openCore(config, { log: createLogger(level, 'stderr') });
  } catch (error) {
    if (error instanceof PforteError && error.code === 'ERR_CONFIG') {
      return { keyProblem: error.message };
    }
    throw error;
  }
  try {
    const chain = await checkAuditChain(core, ctx.caller);
    await sealAuditEvents(core);
    return { chain };
  } finally {
    await closeCore(core);
  }
}

async function whereTheKeyIs(
  config: Readonly<Config>,
): Promise<{ file?: string; setting?: string }> {
  const { MASTER_KEY_FILE } = await import('../../crypto/master-key.js');
  return config.masterKey
    ? { setting: 'PFORTE_MASTER_KEY' }
    : { file: join(config.dataDir, MASTER_KEY_FILE) };
}

function sealedNote(summary: DatabaseSummary): string {
  return summary.sealedWith ? ` (key ${summary.sealedWith})` : '';
}

function describeSummary(summary: DatabaseSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    formatSize(summary.bytes),
    plural(summary.users, 'user'),
    plural(summary.tokens, 'token'),
    plural(summary.auditEvents, 'audit event'),
  ].join(', ');
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
