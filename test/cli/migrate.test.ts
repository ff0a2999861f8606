/**
 * Upgrades (docs/upgrades.md): the schema changes once, by `pforte migrate` or when a
 * server starts. Every other command only checks, and nothing of this version opens a
 * database that a newer version migrated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer } from '../../src/run/serve.js';
import { openStore } from '../../src/store/open.js';
import { migrations } from '../../src/store/migrations.js';
import { cli } from '../helpers/cli.js';
import { DATABASES, freshPostgresDatabase } from '../helpers/core.js';

const KNOWN = Object.keys(migrations('sqlite')).sort();
const LATEST = KNOWN.at(-1)!;

describe.each(DATABASES)('upgrading the database on %s', (database) => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pforte-migrate-'));
    env = {
      PFORTE_DATA_DIR: dataDir,
      PFORTE_LOG_LEVEL: 'silent',
      ...(database === 'postgres' ? { PFORTE_DATABASE_URL: await freshPostgresDatabase() } : {}),
    };
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Adds a migration row as a newer Pforte would have left it. */
  async function recordNewerMigration(name: string): Promise<void> {
    const store = await openStore({
      url: env.PFORTE_DATABASE_URL ?? '',
      dataDir,
      migrations: 'leave',
    });
    try {
      await store.db
        .insertInto('kysely_migration' as never)
        .values({ name, timestamp: new Date().toISOString() } as never)
        .execute();
    } finally {
      await store.close();
    }
  }

  it('a command other than migrate on a fresh database says which migrations it needs, exit 1, and changes nothing', async () => {
    const result = await cli(env, ['user', 'list']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `pforte: the database needs migrations ${KNOWN.join(', ')}: run pforte migrate or start the server\n`,
    });
    const status = await cli(env, ['migrate', '--status', '--json']);
    expect(JSON.parse(status.stdout)).toEqual({ applied: [], pending: KNOWN, unknown: [] });
  });

  it('pforte migrate runs each pending migration once and says which, then the other commands work', async () => {
    const first = await cli(env, ['migrate']);
    expect(first).toEqual({
      code: 0,
      stdout: `${KNOWN.map((name) => `migrated ${name}\n`).join('')}the database is up to date\n`,
      stderr: '',
    });
    expect(await cli(env, ['migrate'])).toEqual({
      code: 0,
      stdout: 'nothing to migrate: the database is up to date\n',
      stderr: '',
    });
    const status = await cli(env, ['migrate', '--status']);
    expect(status.stdout.split('\n')[0]).toMatch(/^MIGRATION\s+STATE$/);
    expect(status.stdout).toMatch(new RegExp(`^${LATEST} +applied$`, 'm'));
    expect(await cli(env, ['user', 'list'])).toEqual({
      code: 0,
      stdout: '(no users)\n',
      stderr: '',
    });
  });

  it('refuses a database that a newer version migrated, naming its migrations, in every command and at start', async () => {
    await cli(env, ['migrate']);
    await recordNewerMigration('999-from-the-future');
    const refusal =
      'the database has migration this version of Pforte does not know (999-from-the-future): it was upgraded by a newer version; run that version';
    expect(await cli(env, ['user', 'list'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `pforte: ${refusal}\n`,
    });
    expect(await cli(env, ['migrate'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `pforte: ${refusal}\n`,
    });
    const status = JSON.parse((await cli(env, ['migrate', '--status', '--json'])).stdout);
    expect(status).toEqual({ applied: KNOWN, pending: [], unknown: ['999-from-the-future'] });
    const config = loadConfig({ env: { ...env, PFORTE_PORT: '0', PFORTE_HOST: '127.0.0.1' } });
    await expect(startServer(config)).rejects.toMatchObject({
      code: 'ERR_START_FAILED',
      message: refusal,
    });
  });

  it('a server that starts on a fresh database migrates it, and the CLI then works beside it', async () => {
    const config = loadConfig({ env: { ...env, PFORTE_PORT: '0', PFORTE_HOST: '127.0.0.1' } });
    const server = await startServer(config);
    try {
      const status = JSON.parse((await cli(env, ['migrate', '--status', '--json'])).stdout);
      expect(status).toEqual({ applied: KNOWN, pending: [], unknown: [] });
      expect((await cli(env, ['user', 'list'])).code).toBe(0);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
