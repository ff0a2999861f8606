/**
 * Running a bulk enrollment again (issue 10, item 3): users who hold a token are skipped
 * unless replace is asked for, resend reaches only open enrollments and renews them, no
 * one is mailed twice, and the summary counts each kind. And a row that fails says why
 * in one line, with nothing of the log on the terminal (item 2).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/context.js';
import { enrollMany, type BulkRow } from '../../src/enrollment/bulk.js';
import { listEnrollments, startEnrollment } from '../../src/enrollment/enrollments.js';
import { importToken, listTokens } from '../../src/tokens/tokens.js';
import { createUser, updateUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { ADMIN, DATABASES, freshPostgresDatabase, makeCore } from '../helpers/core.js';
import { activate, sendTo } from '../helpers/enrollment-client.js';
import { freePort } from '../helpers/ports.js';
import { directoriesEnv, startSlapd } from '../helpers/slapd.js';
import { linkIn, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

const DAY = 86_400_000;
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe.each(DATABASES)('bulk enrollment run again on %s', (database) => {
  let smtp: TestSmtp;
  let t: TestApp;
  const send = sendTo(() => t.app);
  const codeOf = (link: string) => link.split('/enroll/')[1]!;
  const recipients = (from = 0) => smtp.received.slice(from).flatMap((m) => m.to);
  const linkFor = (address: string) =>
    linkIn(smtp.received.findLast((m) => m.to.includes(address))!);
  const writeCsv = (lines: string[]) => {
    const file = join(t.dataDir, 'staff.csv');
    writeFileSync(file, ['username,email,name,lang', ...lines].join('\n'));
    return file;
  };
  const enrollCsv = async (file: string, ...flags: string[]) => {
    const run = await cli(t.env, ['enroll', '--csv', file, '--json', ...flags]);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout);
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());
  beforeEach(async () => {
    smtp.received.length = 0;
    t = await makeApp(database, { PFORTE_SMTP_URL: smtp.url });
  });
  afterEach(async () => t.close());

  it('mails no one twice: the enrolled and the open are skipped, resend reaches only the open, replace only the enrolled', async () => {
    const users = ['u0', 'u1', 'u2', 'u3', 'u4'];
    const file = writeCsv(users.map((u) => `${u},${u}@example.org,,en`));
    const first = await enrollCsv(file);
    expect(first).toMatchObject({ total: 5, started: 5, sent: 5, failed: [] });

    // Two of five finish; the file is run again. (The CLI keeps the real time; expiry
    // under a moved clock is asserted through REST below.)
    for (const user of ['u0', 'u1']) {
      const { confirm } = await activate(send, codeOf(linkFor(`${user}@example.org`)));
      expect((await confirm!()).status).toBe(200);
    }
    const again = await cli(t.env, ['enroll', '--csv', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      '5 rows: 0 mailed, 0 in the outbox, 5 skipped, 0 failed\n' +
        'enrollments: 0 new, 0 resent, 0 replaced; skipped: 2 already enrolled (--replace), 3 open already (--resend), 0 other\n',
    );
    expect(smtp.received).toHaveLength(5);

    // --resend: a new link for the three still open, good for seven days from now.
    const oldLink = linkFor('u2@example.org');
    const wasOpen = (await listEnrollments(t.core, { state: 'open' })).items;
    const resent = await enrollCsv(file, '--resend');
    expect(resent).toMatchObject({ resent: 3, sent: 3, started: 0, alreadyEnrolled: 2 });
    expect(resent.skipped).toEqual([
      expect.objectContaining({ row: 1, username: 'u0', kind: 'enrolled' }),
      expect.objectContaining({ row: 2, username: 'u1', kind: 'enrolled' }),
    ]);
    expect(recipients(5).sort()).toEqual(['u2@example.org', 'u3@example.org', 'u4@example.org']);
    const open = (await listEnrollments(t.core, { state: 'open' })).items;
    expect(open.map((e) => e.id).sort()).toEqual(wasOpen.map((e) => e.id).sort());
    for (const [i, enrollment] of open.entries()) {
      expect(Date.parse(enrollment.expiresAt)).toBeGreaterThan(Date.parse(wasOpen[i]!.expiresAt));
    }
    expect((await t.app.inject({ url: `/enroll/${codeOf(oldLink)}` })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `/enroll/${codeOf(linkFor('u2@example.org'))}` })).statusCode,
    ).toBe(200);

    // --replace: a new enrollment for the two who hold a token; theirs stays until the new one is active.
    const replaced = await enrollCsv(file, '--replace');
    expect(replaced).toMatchObject({ replaced: 2, sent: 2, openAlready: 3, resent: 0 });
    expect(recipients(8).sort()).toEqual(['u0@example.org', 'u1@example.org']);
    const before = (await listTokens(t.core, { username: 'u0' })).items;
    expect(before.map((token) => token.state)).toEqual(['active']);
    const { confirm } = await activate(send, codeOf(linkFor('u0@example.org')));
    expect((await confirm!()).status).toBe(200);
    const after = (await listTokens(t.core, { username: 'u0' })).items;
    expect(after.find((token) => token.serial === before[0]!.serial)!.state).toBe('revoked');
    expect(after.filter((token) => token.state === 'active')).toHaveLength(1);

    // Once more without options: nothing to do, no one mailed.
    const last = await enrollCsv(file);
    expect(last).toMatchObject({ sent: 0, alreadyEnrolled: 1, openAlready: 4 });
    expect(smtp.received).toHaveLength(10);
  });

  it('takes resend and replace on POST /api/v1/enrollments/bulk and counts each kind', async () => {
    await createUser(t.core, ADMIN, { username: 'holder', email: 'holder@example.org' });
    await importToken(t.core, ADMIN, { username: 'holder', secret: SECRET });
    await createUser(t.core, ADMIN, { username: 'waiting', email: 'waiting@example.org' });
    await startEnrollment(t.core, ADMIN, { username: 'waiting', sendMail: false });
    const rows = [
      { username: 'holder' },
      { username: 'waiting' },
      { username: 'newcomer', email: 'newcomer@example.org' },
    ];
    const bulk = (body: object) =>
      t.call({ method: 'POST', url: '/api/v1/enrollments/bulk', payload: { rows, ...body } });
    const plain = await bulk({});
    expect(plain.statusCode).toBe(200);
    t.clock.advance(6 * DAY);
    expect(plain.json()).toEqual({
      total: 3,
      sent: 1,
      stored: 0,
      started: 1,
      resent: 0,
      replaced: 0,
      alreadyEnrolled: 1,
      openAlready: 1,
      skipped: [
        {
          row: 1,
          username: 'holder',
          kind: 'enrolled',
          reason: 'already enrolled: the user holds a token (use replace to enroll them again)',
        },
        {
          row: 2,
          username: 'waiting',
          kind: 'open',
          reason: 'an enrollment is open already (use resend to mail a new link)',
        },
      ],
      failed: [],
    });
    const both = await bulk({ resend: true, replace: true });
    expect(both.json()).toMatchObject({ sent: 3, started: 0, resent: 2, replaced: 1, skipped: [] });
    // Resent links live seven days from the resend, not the day that was left of the first.
    const open = (await listEnrollments(t.core, { state: 'open' })).items;
    expect(open.map((e) => e.expiresAt)).toEqual(
      Array(3).fill(new Date(t.clock.now() + 7 * DAY).toISOString()),
    );
    expect(recipients().sort()).toEqual([
      'holder@example.org',
      'newcomer@example.org',
      'newcomer@example.org',
      'waiting@example.org',
    ]);
    expect((await bulk({ replace: 'yes' })).statusCode).toBe(400);
  });

  it('enrolls one named user who holds a token, and says the new token will replace it', async () => {
    await createUser(t.core, ADMIN, { username: 'alice', email: 'alice@example.org' });
    const { serial } = await importToken(t.core, ADMIN, { username: 'alice', secret: SECRET });
    const text = await cli(t.env, ['enroll', 'alice']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `note: alice holds token ${serial} already; the new token replaces it once it is active\n`,
    );
    const json = await cli(t.env, ['enroll', 'alice', '--json']);
    expect(Object.keys(JSON.parse(json.stdout)).sort()).toEqual(['expiresAt', 'id', 'link']);
    expect(json.stderr).toContain(`note: alice holds token ${serial} already`);
    const fresh = await cli(t.env, ['user', 'add', 'bob', '--email', 'bob@example.org']);
    expect(fresh.code).toBe(0);
    expect((await cli(t.env, ['enroll', 'bob'])).stdout).not.toContain('note:');
    const mixed = await cli(t.env, ['enroll', 'bob', '--replace']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--resend and --replace go with --csv or --ldap-filter');
    // The directory face takes the same options (here it stops at the missing directory).
    const filter = await cli(t.env, [
      'enroll',
      '--ldap-filter',
      '(uid=*)',
      '--resend',
      '--replace',
    ]);
    expect(filter.stderr).toContain('no directory is configured');
  });

  it('says in one line why each row failed, and prints no stack and no log line', async () => {
    // A directory that does not answer, a mail server that refuses, a user who is
    // disabled, an address that is no address, and a fault planted in the database.
    const directory = {
      name: 'corp',
      urls: [`ldap://127.0.0.1:${await freePort()}`],
      bindDn: 'cn=pforte,dc=example,dc=org',
      bindPassword: 'secret',
      baseDn: 'dc=example,dc=org',
      connectTimeoutMs: 500,
    };
    await createUser(t.core, ADMIN, { username: 'carol', email: 'carol@example.org' });
    await updateUser(t.core, ADMIN, 'carol', { disabled: true });
    await plantFault(t.core, 'broken');
    smtp.refuseNext(1);
    const file = writeCsv([
      'bad,not-an-address,,',
      'carol',
      'dave',
      'erin,erin@example.org,,',
      'broken,broken@example.org,,',
    ]);
    const env = {
      ...t.env,
      PFORTE_LOG_LEVEL: 'info', // what a user has: the default
      PFORTE_MAIL_MAX_ATTEMPTS: '1',
      PFORTE_DIRECTORIES: JSON.stringify([directory]),
    };
    const run = await cli(env, ['enroll', '--csv', file]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      '5 rows: 0 mailed, 0 in the outbox, 1 skipped, 4 failed',
      'enrollments: 1 new, 0 resent, 0 replaced; skipped: 0 already enrolled (--replace), 0 open already (--resend), 1 other',
      'skipped row 2 (carol): the user is disabled',
      'failed row 1 (bad): email must be an e-mail address such as name@example.org',
      expect.stringMatching(/^failed row 3 \(dave\): directory corp: cannot connect/),
      expect.stringMatching(
        /^failed row 4 \(erin\): mail not delivered \(.*451.*\); run the same rows again to mail a new link$/,
      ),
      'failed row 5 (broken): internal error: a fault the test planted',
    ]);
    expect(run.stderr).toBe('');

    // Run again as the lines say: erin gets a new link, the rest fail the same way.
    const again = await cli(env, ['enroll', '--csv', file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ resent: 1, sent: 1 });
    expect(recipients()).toEqual(['erin@example.org']);
    expect(again.stderr).toBe('');
  });

  it('fails a row the database was too busy for with what to do, and finishes the rest', async () => {
    const busy = await holdWriteLock(database);
    try {
      const rows: BulkRow[] = [
        { username: 'first', email: 'first@example.org' },
        { username: 'second', email: 'second@example.org' },
      ];
      const summary = await enrollMany(busy.core, ADMIN, rows, {
        // The lock is let go once the first row has failed.
        onProgress: (phase, done) => {
          if (phase === 'enroll' && done === 1) void busy.release();
        },
      });
      expect(summary.failed).toEqual([
        {
          row: 1,
          username: 'first',
          reason: 'the database was busy; run the same rows again to finish the rest',
        },
      ]);
      await busy.released;
      expect(summary).toMatchObject({ started: 1, stored: 1 });
      const again = await enrollMany(busy.core, ADMIN, rows);
      expect(again).toMatchObject({ started: 1, stored: 1, openAlready: 1, failed: [] });
    } finally {
      await busy.close();
    }
  });

  it('costs the same few queries for each row, however many rows there are', async () => {
    let queries = 0;
    // Counted as they run: statements compiled once (store/prepared.ts) are run
    // without being built again.
    const counter: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries++;
        return args.result;
      },
    };
    const counted: Core = {
      ...t.core,
      mailer: undefined,
      store: { ...t.core.store, db: t.core.store.db.withPlugin(counter) },
    };
    const rowsOf = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        username: `user${from + i}`,
        email: `user${from + i}@example.org`,
      }));
    const count = async (rows: BulkRow[]) => {
      queries = 0;
      await enrollMany(counted, ADMIN, rows);
      return queries;
    };
    /** Queries per row and the fixed part, from 10 rows and then 20 more users than before. */
    const measure = (ten: number, twenty: number) => {
      const perRow = (twenty - ten) / 10;
      return { perRow, fixed: ten - 10 * perRow };
    };
    const fresh = measure(await count(rowsOf(0, 10)), await count(rowsOf(10, 20)));
    const known = measure(await count(rowsOf(0, 10)), await count(rowsOf(0, 20)));
    // A query over all users for each row would grow with the users already there (10,
    // then 30) and make the fixed part negative.
    expect(fresh.fixed).toBeGreaterThanOrEqual(0);
    expect(fresh.fixed).toBeLessThanOrEqual(1); // the outbox read at the end
    expect(fresh.perRow).toBeLessThanOrEqual(12);
    expect(known).toEqual({ perRow: 1, fixed: 0 }); // one read says where the user stands
    console.log(
      `${database}: ${fresh.perRow} queries per new row, ${known.perRow} per row run again`,
    );
  });

  /** A trigger that fails the insert of one username, as a fault of the database would. */
  async function plantFault(core: Core, username: string): Promise<void> {
    if (database === 'sqlite') {
      await sql
        .raw(
          `CREATE TRIGGER planted_fault BEFORE INSERT ON users WHEN NEW.username = '${username}'
           BEGIN SELECT RAISE(ABORT, 'a fault the test planted'); END`,
        )
        .execute(core.store.db);
      return;
    }
    await sql
      .raw(
        `CREATE FUNCTION planted_fault() RETURNS trigger LANGUAGE plpgsql AS
         $$ BEGIN RAISE EXCEPTION 'a fault the test planted'; END $$`,
      )
      .execute(core.store.db);
    await sql
      .raw(
        `CREATE TRIGGER planted_fault BEFORE INSERT ON users FOR EACH ROW
         WHEN (NEW.username = '${username}') EXECUTE FUNCTION planted_fault()`,
      )
      .execute(core.store.db);
  }
});

describe('bulk enrollment by directory filter run again', () => {
  it('takes --resend and --replace on pforte enroll --ldap-filter, and mails no one twice', async () => {
    const ldap = await startSlapd();
    const smtp = await startSmtpServer();
    const t = await makeApp('sqlite', {
      PFORTE_DIRECTORIES: directoriesEnv(ldap),
      PFORTE_SMTP_URL: smtp.url,
    });
    const enroll = async (...flags: string[]) => {
      const run = await cli(t.env, [
        'enroll',
        '--ldap-filter',
        '(departmentNumber=sales)',
        '--json',
        ...flags,
      ]);
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout);
    };
    try {
      expect(await enroll()).toMatchObject({ total: 2, started: 2, sent: 2 });
      const link = linkIn(smtp.received.find((m) => m.to[0] === 'alice@example.test')!);
      const { confirm } = await activate(
        sendTo(() => t.app),
        link.split('/enroll/')[1]!,
      );
      expect((await confirm!()).status).toBe(200);
      expect(await enroll()).toMatchObject({ sent: 0, alreadyEnrolled: 1, openAlready: 1 });
      expect(await enroll('--replace')).toMatchObject({ sent: 1, replaced: 1, openAlready: 1 });
      expect(await enroll('--resend')).toMatchObject({ sent: 2, resent: 2 });
      const runs = [smtp.received.slice(0, 2), smtp.received.slice(2, 3), smtp.received.slice(3)];
      expect(runs.map((run) => run.map((m) => m.to[0]).sort())).toEqual([
        ['alice@example.test', 'bernd@example.test'],
        ['alice@example.test'],
        ['alice@example.test', 'bernd@example.test'],
      ]);
    } finally {
      await t.close();
      await smtp.close();
      await ldap.close();
    }
  }, 60_000);
});

/**
 * A core whose database is held by another writer (a second process), waiting for it
 * a fifth of a second instead of the server's seconds: SQLite's busy timeout, or
 * PostgreSQL's lock timeout on a lock of the enrollments table.
 */
async function holdWriteLock(database: (typeof DATABASES)[number]) {
  const lock = database === 'sqlite' ? await lockSQLite() : await lockPostgres();
  let held = true;
  let resolve!: () => void;
  const released = new Promise<void>((r) => (resolve = r));
  return {
    core: lock.t.core,
    released,
    release: async () => {
      await lock.commit();
      held = false;
      resolve();
    },
    close: async () => {
      if (held) await lock.commit();
      await lock.end();
      await lock.t.close();
    },
  };
}

async function lockSQLite() {
  const t = await makeCore('sqlite');
  await sql`pragma busy_timeout = 200`.execute(t.core.store.db);
  const other = new SQLite(join(t.dataDir, 'pforte.sqlite'));
  other.exec('BEGIN IMMEDIATE');
  return { t, commit: async () => void other.exec('COMMIT'), end: async () => other.close() };
}

async function lockPostgres() {
  const url = new URL(await freshPostgresDatabase());
  url.searchParams.set('options', '-c lock_timeout=1000');
  const t = await makeCore('postgres', { PFORTE_DATABASE_URL: url.toString() });
  const other = new pg.Client({ connectionString: url.toString() });
  await other.connect();
  await other.query('BEGIN');
  await other.query('LOCK TABLE enrollments IN EXCLUSIVE MODE');
  return { t, commit: async () => void (await other.query('COMMIT')), end: () => other.end() };
}
