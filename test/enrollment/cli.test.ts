/** Enrollment from the command line: one user, the outbox without SMTP, and 10 000 from a CSV file. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { makeCore, type TestCore } from '../helpers/core.js';
import { linkIn, parseAll, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

describe('pforte enroll without SMTP: the outbox', () => {
  it('keeps the mail in the outbox, where the administrator can read the link', async () => {
    const t = await makeCore('sqlite');
    try {
      await cli(t.env, ['user', 'add', 'alice', '--email', 'alice@example.org']);
      const enrolled = await cli(t.env, ['enroll', 'alice']);
      expect(enrolled.code).toBe(0);
      expect(enrolled.stdout).toMatch(/^enrollment EN[0-9A-Z]{10} for alice, expires /);
      expect(enrolled.stdout).toMatch(/mail: stored in the outbox \(pforte outbox show [\w-]+\)/);
      const link = /link: (\S+)/.exec(enrolled.stdout)![1]!;
      const list = JSON.parse((await cli(t.env, ['outbox', 'list', '--json'])).stdout);
      expect(list).toEqual([
        expect.objectContaining({ to: 'alice@example.org', state: 'stored', kind: 'enrollment' }),
      ]);
      const shown = await cli(t.env, ['outbox', 'show', list[0].id]);
      expect(shown.stdout).toContain(link);
      const json = JSON.parse(
        (await cli(t.env, ['enroll', 'alice', '--no-mail', '--json'])).stdout,
      );
      expect(Object.keys(json).sort()).toEqual(['expiresAt', 'id', 'link']);
      const open = JSON.parse(
        (await cli(t.env, ['enrollment', 'list', '--state', 'open', '--json'])).stdout,
      );
      expect(open.map((e: { id: string }) => e.id)).toEqual([json.id]); // the newer one replaced the first
      const cancelled = JSON.parse(
        (await cli(t.env, ['enrollment', 'list', '--state', 'cancelled', '--json'])).stdout,
      );
      expect(cancelled).toHaveLength(1);
      expect((await cli(t.env, ['enrollment', 'cancel', json.id])).stdout).toBe(
        `cancelled enrollment ${json.id} of alice\n`,
      );
      expect((await cli(t.env, ['enrollment', 'resend', json.id])).code).toBe(1);
      expect((await cli(t.env, ['enroll', 'alice', '--lifetime', 'soon'])).code).toBe(1);
      expect((await cli(t.env, ['enroll'])).code).toBe(2);
    } finally {
      await t.close();
    }
  });
});

describe('pforte enroll --csv with 10 000 rows', () => {
  let smtp: TestSmtp;
  let t: TestCore;
  const ROWS = 10_000;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await makeCore('sqlite', { PFORTE_SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('creates the users, mails every one exactly once, and skips them all when run again', async () => {
    const file = join(t.dataDir, 'staff.csv');
    const lines = ['username,email,name,lang'];
    for (let i = 0; i < ROWS; i++) {
      lines.push(`user${i},user${i}@example.org,"Employee ${i}, Hamburg",${i % 2 ? 'en' : 'de'}`);
    }
    lines.push('bad user,nobody@example.org,,', 'ghost');
    writeFileSync(file, lines.join('\n'));

    const first = await cli(t.env, ['enroll', '--csv', file]);
    expect(first.stdout.split('\n')[0]).toBe(
      `${ROWS + 2} rows: ${ROWS} mailed, 0 in the outbox, 1 skipped, 1 failed`,
    );
    expect(first.stdout).toContain('skipped row 10002 (ghost): no such user');
    expect(first.stdout).toContain('failed row 10001 (bad user): username must be');
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('enrolling: 10002/10002');

    expect(smtp.received).toHaveLength(ROWS);
    const recipients = new Set(smtp.received.flatMap((m) => m.to));
    expect(recipients.size).toBe(ROWS);
    const links = new Set(smtp.received.map(linkIn));
    expect(links.size).toBe(ROWS);
    const [one] = await parseAll(smtp.received.filter((m) => m.to[0] === 'user1@example.org'));
    expect(one!.parsed.text).toContain('Employee 1, Hamburg');

    const again = await cli(t.env, ['enroll', '--csv', file, '--json']);
    const summary = JSON.parse(again.stdout);
    expect(summary).toMatchObject({ total: ROWS + 2, sent: 0 });
    expect(summary.skipped).toHaveLength(ROWS + 1);
    expect(smtp.received).toHaveLength(ROWS); // none twice
  }, 300_000);
});
