/**
 * `pforte backup` and `pforte restore` as an operator meets them: what is printed, the
 * file's mode, and every refusal — a file that is there, a database in use, a file that
 * is not Pforte's, PostgreSQL, a folder without the key the backup is sealed with.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { makeCore, type TestCore } from '../helpers/core.js';
import { addUserWithToken } from '../helpers/tokens.js';

describe('pforte backup and restore on SQLite', () => {
  let t: TestCore;
  let folder: string;
  beforeEach(async () => {
    t = await makeCore('sqlite');
    await addUserWithToken(t.core, 'alice');
    await addUserWithToken(t.core, 'bob');
    folder = mkdtempSync(join(tmpdir(), 'pforte-backup-'));
  });
  afterEach(async () => t.close());

  const backUp = async (name = 'pforte.backup', ...more: string[]) => {
    const file = join(folder, name);
    return { file, ...(await cli(t.env, ['backup', file, ...more])) };
  };

  it('writes an owner-only copy and says what it holds and where the master key is, never the key', async () => {
    const { file, code, stdout, stderr } = await backUp();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const keyFile = join(t.dataDir, 'master.key');
    expect(stdout).toMatch(
      new RegExp(`^backed up to ${file}: \\d+\\.\\d KiB, 2 users, 2 tokens, \\d+ audit events\\n`),
    );
    expect(stdout).toContain(`the master key is not in the backup: keep a copy of ${keyFile}`);
    expect(stdout).toContain(`(key ${t.core.keyring.currentId})`);
    expect(stdout).not.toContain(readFileSync(keyFile, 'utf8').trim());
    const copy = new SQLite(file, { readonly: true });
    expect(copy.prepare('select username from users order by 1').pluck().all()).toEqual([
      'alice',
      'bob',
    ]);
    copy.close();
    expect(existsSync(join(folder, `.pforte.backup.${process.pid}.partial`))).toBe(false);
  });

  it('names PFORTE_MASTER_KEY when the key comes from the environment', async () => {
    const other = await makeCore('sqlite', { PFORTE_MASTER_KEY: 'a'.repeat(64) });
    try {
      const run = await cli(other.env, ['backup', join(folder, 'env.backup')]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('keep a copy of PFORTE_MASTER_KEY');
      expect(run.stdout).not.toContain('a'.repeat(64));
    } finally {
      await other.close();
    }
  });

  it('refuses to replace an existing file unless --force', async () => {
    const file = join(folder, 'pforte.backup');
    writeFileSync(file, 'keep me');
    const refused = await backUp();
    expect(refused).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `pforte: ${file} exists; give --force to replace it\n`,
    });
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    const forced = await backUp('pforte.backup', '--force', '--json');
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ file, users: 2, tokens: 2 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses PostgreSQL in one line that points to pg_dump and pg_restore', async () => {
    const env = { ...t.env, PFORTE_DATABASE_URL: 'postgres://pforte@127.0.0.1:1/pforte' };
    const backup = await cli(env, ['backup', join(folder, 'pg.backup')]);
    expect(backup).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'pforte: pforte backup works on the embedded SQLite database, and this one is PostgreSQL: back it up with pg_dump -Fc (docs/backup.md)\n',
    });
    const restore = await cli(env, ['restore', join(folder, 'pg.backup')]);
    expect(restore.stderr).toMatch(/^pforte: .*restore it with pg_restore \(docs\/backup\.md\)\n$/);
    expect(existsSync(join(folder, 'pg.backup'))).toBe(false);
  });

  it('restore refuses a file that is not a Pforte database', async () => {
    const text = join(folder, 'notes.txt');
    writeFileSync(text, 'not a database at all, just text that is long enough to be read\n');
    const other = join(folder, 'other.sqlite');
    const db = new SQLite(other);
    db.exec('create table users (id integer)');
    db.close();
    const target = mkdtempSync(join(tmpdir(), 'pforte-restore-'));
    for (const [file, reason] of [
      [text, 'it is not an SQLite database'],
      [other, 'it has no migrations table'],
    ] as const) {
      const run = await cli(t.env, ['restore', file, '--data-dir', target]);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `pforte: ${file} is not a Pforte database: ${reason}\n`,
      });
    }
    expect(existsSync(join(target, 'pforte.sqlite'))).toBe(false);
  });

  it('restore refuses to replace an existing database unless --force', async () => {
    const { file } = await backUp();
    const target = mkdtempSync(join(tmpdir(), 'pforte-restore-'));
    copyFileSync(join(t.dataDir, 'master.key'), join(target, 'master.key'));
    expect((await cli(t.env, ['restore', file, '--data-dir', target])).code).toBe(0);
    const again = await cli(t.env, ['restore', file, '--data-dir', target]);
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: `pforte: ${join(target, 'pforte.sqlite')} exists; give --force to replace it\n`,
    });
    const forced = await cli(t.env, ['restore', file, '--data-dir', target, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/2 users, 2 tokens, .*\naudit log intact: \d+ events\n$/);
  });

  it('restore refuses while a server in this process has the database open', async () => {
    const { file } = await backUp();
    const run = await cli(t.env, ['restore', file, '--force']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `pforte: ${join(t.dataDir, 'pforte.sqlite')} is in use by a running Pforte server or command: stop it first (systemctl stop pforte)\n`,
    });
    const users = await t.core.store.db.selectFrom('users').select('username').execute();
    expect(users).toHaveLength(2);
  });

  it('restore into a folder without the master key warns, makes no key, and leaves the chain unchecked', async () => {
    const { file } = await backUp();
    const bare = mkdtempSync(join(tmpdir(), 'pforte-restore-'));
    const noKey = await cli(t.env, ['restore', file, '--data-dir', bare]);
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toMatch(/^restored into .*: .*2 users, 2 tokens/);
    expect(noKey.stderr).toContain(
      `warning: the backup is sealed with master key ${t.core.keyring.currentId}, but ${bare} has no master.key`,
    );
    expect(noKey.stderr).toContain('the audit chain is not checked until then');
    expect(existsSync(join(bare, 'master.key'))).toBe(false);

    const otherKey = mkdtempSync(join(tmpdir(), 'pforte-restore-'));
    writeFileSync(join(otherKey, 'master.key'), 'b'.repeat(64) + '\n', { mode: 0o600 });
    const wrong = await cli(t.env, ['restore', file, '--data-dir', otherKey]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      new RegExp(
        `sealed with master key ${t.core.keyring.currentId}, but .*sealed with master key`,
      ),
    );
  });
});
