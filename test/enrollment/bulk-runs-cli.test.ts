/**
 * Bulk runs and reminders from the command line: `enroll --csv --background` hands the
 * file to the server and prints the run's id; `bulk-run list|show|failed|cancel` follow
 * it; `enrollment remind` mails each open enrollment once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tickBulkRuns } from '../../src/enrollment/bulk-run-worker.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { cli } from '../helpers/cli.js';
import { makeCore, type TestCore } from '../helpers/core.js';

describe('bulk runs in the CLI', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await makeCore('sqlite');
  });
  afterEach(async () => t.close());

  const writeCsv = (lines: string[]) => {
    const file = join(t.dataDir, 'staff.csv');
    writeFileSync(file, ['username,email,name,lang', ...lines].join('\n'));
    return file;
  };

  it('queues a CSV file with --background, and shows the run as the server works it', async () => {
    const file = writeCsv(['ann,ann@example.org,Ann,en', 'bob,bob@example.org,,de', 'nobody']);
    const queued = await cli(t.env, ['enroll', '--csv', file, '--background']);
    expect(queued.code).toBe(0);
    const id = queued.stdout.trim();
    expect(id).toMatch(/^BR[0-9A-Z]{10}$/);
    expect(queued.stderr).toContain(`bulk run ${id} queued with 3 rows`);
    // Nothing is enrolled by the CLI itself.
    expect((await listOutbox(t.core)).items).toEqual([]);

    const listed = await cli(t.env, ['bulk-run', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+queued\\s+0/3`));
    expect(await tickBulkRuns(t.core, { worker: 'server' })).toBe(id);

    const shown = await cli(t.env, ['bulk-run', 'show', id]);
    expect(shown.stdout).toContain(`bulk run ${id}: done`);
    expect(shown.stdout).toContain('from file staff.csv');
    expect(shown.stdout).toContain(
      '3 of 3 rows: 2 new, 0 resent, 0 replaced; skipped 0 already enrolled, 0 open already, 1 other; 0 failed; mail: 0 sent, 2 in the outbox',
    );
    const failed = JSON.parse((await cli(t.env, ['bulk-run', 'failed', id, '--json'])).stdout);
    expect(failed).toEqual([
      {
        row: 3,
        username: 'nobody',
        kind: 'unknown',
        reason: 'no such user, and the row gives no e-mail address to create one',
      },
    ]);
    const cancel = await cli(t.env, ['bulk-run', 'cancel', id]);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain('the run has ended (it is done)');
    expect((await cli(t.env, ['bulk-run', 'show', 'BR0000000000'])).code).toBe(1);
    expect((await cli(t.env, ['enroll', 'ann', '--background'])).code).toBe(2);
  });

  it('says with --dry-run what the rows would do, and changes nothing', async () => {
    const file = writeCsv(['ann,ann@example.org,Ann,en', 'bob,bob@example', 'nobody']);
    const dry = await cli(t.env, ['enroll', '--csv', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      '3 rows would enroll 1 new users, 0 known users, 0 again (--replace), and mail 0 open ones a new link (--resend); skip 0 already enrolled, 0 open already; 2 invalid\n' +
        'invalid row 2 (bob): email must be an e-mail address such as name@example.org\n' +
        'invalid row 3 (nobody): no such user, and the row gives no e-mail address to create one\n',
    );
    expect((await listOutbox(t.core)).items).toEqual([]);
    expect((await cli(t.env, ['user', 'list', '--json'])).stdout).toBe('[]\n');
    const both = await cli(t.env, ['enroll', '--csv', file, '--dry-run', '--background']);
    expect(both.code).toBe(2);
  });

  it('refuses a file that is not a CSV list of users, and queues nothing', async () => {
    const file = join(t.dataDir, 'photo.csv');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]));
    const refused = await cli(t.env, ['enroll', '--csv', file, '--background']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the file is not a CSV list of users');
    expect((await cli(t.env, ['bulk-run', 'list'])).stdout).toBe('(no bulk runs)\n');
  });

  it('reminds each open enrollment once with enrollment remind', async () => {
    const file = writeCsv(['ann,ann@example.org', 'bob,bob@example.org']);
    expect((await cli(t.env, ['enroll', '--csv', file])).code).toBe(0);
    const reminded = await cli(t.env, ['enrollment', 'remind']);
    expect(reminded.stdout).toBe('2 reminded: 0 mailed, 2 in the outbox, 0 failed\n');
    expect((await listOutbox(t.core)).items).toHaveLength(4);
  });
});
