/**
 * `pforte migrate`: brings the database to this version's schema, once, before the new
 * version's servers start (docs/upgrades.md). The other commands only check that there is
 * nothing to migrate; a starting server migrates by itself.
 */
import type { Command } from '../command.js';
import { print, printJSON, printTable } from '../io.js';

export const migrateCommands: Command[] = [
  {
    name: 'migrate',
    summary: 'Run the pending database migrations (--status: list them)',
    usage: '[--status] [--json]',
    help: 'Run it once per database when upgrading, with the new version, before its servers start; servers of the version before go on running beside it (docs/upgrades.md). A database that a newer version migrated is refused.',
    options: { status: { type: 'boolean' } },
    async run(ctx, options) {
      const { openStore } = await import('../../store/open.js');
      const { readMigrationStatus, runMigrations } = await import('../../store/migrate.js');
      const { explainOpenFailure } = await import('../../run/start-failures.js');
      const { config } = ctx;
      const store = await openStore({
        url: config.database.url,
        dataDir: config.dataDir,
        poolSize: 1,
        migrations: 'leave',
      }).catch((error: unknown) => {
        throw explainOpenFailure(error, config);
      });
      try {
        if (options.status) {
          const status = await readMigrationStatus(store);
          if (ctx.json) printJSON(ctx.io, status);
          else
            printTable(
              ctx.io,
              [
                ...status.applied.map((name) => ({ migration: name, state: 'applied' })),
                ...status.pending.map((name) => ({ migration: name, state: 'pending' })),
                ...status.unknown.map((name) => ({ migration: name, state: 'unknown (newer)' })),
              ],
              ['migration', 'state'],
            );
          return 0;
        }
        const ran = await runMigrations(store);
        if (ctx.json) printJSON(ctx.io, { ran });
        else {
          for (const name of ran) print(ctx.io, `migrated ${name}`);
          print(
            ctx.io,
            ran.length > 0
              ? 'the database is up to date'
              : 'nothing to migrate: the database is up to date',
          );
        }
        return 0;
      } finally {
        await store.close();
      }
    },
  },
];
