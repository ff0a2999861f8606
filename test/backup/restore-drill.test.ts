/**
 * The restore drill of docs/backup.md, under load: a real `pforte serve` answers
 * sign-ins while `pforte backup` copies the same SQLite file from another connection;
 * sign-ins go on; the backup is restored into a new data folder (with the master key
 * file beside it) and a server started there. Everything the database held when the
 * backup began is in the restored folder, the audit chain is intact, and a token still
 * validates. Nothing from after the backup is required.
 */
import { chmodSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { HOTP, Secret } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAuditChain } from '../../src/audit/check.js';
import { loadConfig } from '../../src/config/load.js';
import { closeCore, openCore } from '../../src/core.js';
import { cli } from '../helpers/cli.js';
import { ADMIN } from '../helpers/core.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { prepareLoadUsers, startSignInLoad, type LoadUser } from '../helpers/signin-load.js';

interface Ids {
  users: string[];
  tokens: string[];
  auditEvents: number[];
}

/** The ids of every user, token and audit event in a database file, read as it is now. */
function readIds(file: string): Ids {
  const db = new SQLite(file, { readonly: true });
  try {
    const ids = (table: string) => db.prepare(`select id from ${table} order by id`).pluck().all();
    return db.transaction(() => ({
      users: ids('users') as string[],
      tokens: ids('tokens') as string[],
      auditEvents: ids('audit_events') as number[],
    }))();
  } finally {
    db.close();
  }
}

const NO_LIMIT = { PFORTE_RATE_LIMIT_PER_MINUTE: '1000000', PFORTE_LOG_LEVEL: 'warn' };

describe('a restore drill under sign-in load on SQLite', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let key: string;
  let users: LoadUser[];
  const idle = new Secret();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pforte-drill-'));
    env = { PFORTE_DATA_DIR: dataDir, ...NO_LIMIT };
    // The server makes the database; the CLI works beside it from then on.
    server = await startServerProcess(env);
    ({ key, users } = await prepareLoadUsers(env, 4));
    await cli(env, ['user', 'add', 'idle', '--email', 'idle@example.org']);
    await cli(env, ['token', 'add', 'idle', '--secret', idle.base32, '--type', 'hotp']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(
    'restores every user, token and audit event of the backup moment, with an intact chain and a token that validates',
    { timeout: 120_000 },
    async () => {
      const live = join(dataDir, 'pforte.sqlite');
      const load = startSignInLoad(server.url, key, users);
      await load.acceptAfter(Date.now(), 20_000, 8);

      const before = readIds(live);
      const file = join(mkdtempSync(join(tmpdir(), 'pforte-drill-backup-')), 'pforte.backup');
      const backup = await cli(env, ['backup', file]);
      const backedUp = Date.now();
      await load.acceptAfter(backedUp, 20_000, 8);
      const figures = await load.stop();
      expect({ code: backup.code, stderr: backup.stderr }).toEqual({ code: 0, stderr: '' });
      expect(figures.wrong).toEqual([]);
      expect(figures.dropped).toEqual([]);
      expect(figures.unavailable).toBe(0);

      const inBackup = readIds(file);
      expect(backup.stdout).toContain(
        `${inBackup.users.length} users, ${inBackup.tokens.length} tokens, ${inBackup.auditEvents.length} audit events`,
      );
      // Nothing from before the backup is missing; what came after is the live database's.
      expect(inBackup.users).toEqual(expect.arrayContaining(before.users));
      expect(inBackup.tokens).toEqual(expect.arrayContaining(before.tokens));
      expect(inBackup.auditEvents).toEqual(expect.arrayContaining(before.auditEvents));
      expect(readIds(live).auditEvents.length).toBeGreaterThan(inBackup.auditEvents.length);

      const restoredDir = mkdtempSync(join(tmpdir(), 'pforte-drill-restored-'));
      copyFileSync(join(dataDir, 'master.key'), join(restoredDir, 'master.key'));
      chmodSync(join(restoredDir, 'master.key'), 0o600);
      const restore = await cli(env, ['restore', file, '--data-dir', restoredDir]);
      expect(restore.stderr).toBe('');
      expect(restore.stdout).toMatch(/\naudit log intact: \d+ events\n$/);
      expect(restore.code).toBe(0);

      const config = loadConfig({
        env: { PFORTE_DATA_DIR: restoredDir, PFORTE_LOG_LEVEL: 'silent' },
      });
      const core = await openCore(config);
      try {
        const ids = async (table: 'users' | 'tokens') =>
          (await core.store.db.selectFrom(table).select('id').orderBy('id').execute()).map(
            (row) => row.id,
          );
        expect(await ids('users')).toEqual(inBackup.users);
        expect(await ids('tokens')).toEqual(inBackup.tokens);
        const events = await core.store.db
          .selectFrom('audit_events')
          .select(['id', 'action'])
          .orderBy('id')
          .execute();
        // The backup's events, then those of the restore's own chain check.
        expect(events.slice(0, inBackup.auditEvents.length).map((e) => e.id)).toEqual(
          inBackup.auditEvents,
        );
        expect(events.slice(inBackup.auditEvents.length).map((e) => e.action)).toEqual([
          'audit.verify',
        ]);
        expect(await checkAuditChain(core, ADMIN)).toMatchObject({ intact: true });
      } finally {
        await closeCore(core);
      }

      const restored = await startServerProcess({ PFORTE_DATA_DIR: restoredDir, ...NO_LIMIT });
      try {
        const otp = new HOTP({ secret: idle }).generate({ counter: 0 });
        const response = await fetch(`${restored.url}/api/v1/validate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'idle', otp }),
        });
        expect(await response.json()).toMatchObject({ result: 'accept' });
      } finally {
        await restored.stop();
      }
    },
  );

  it('restore refuses the data folder a running server uses, and the server goes on', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pforte-drill-backup-')), 'pforte.backup');
    expect((await cli(env, ['backup', file])).code).toBe(0);
    const refused = await cli(env, ['restore', file, '--force']);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: `pforte: ${join(dataDir, 'pforte.sqlite')} is in use by a running Pforte server or command: stop it first (systemctl stop pforte)\n`,
    });
    const user = users[0]!;
    const otp = new HOTP({ secret: user.secret }).generate({ counter: user.counter });
    const response = await fetch(`${server.url}/api/v1/validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, otp }),
    });
    expect(await response.json()).toMatchObject({ result: 'accept' });
  });
});
