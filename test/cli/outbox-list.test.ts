/**
 * `pforte outbox list` shows the newest 100 messages unless `--limit` says otherwise,
 * and says so when there are more instead of stopping silently — on SQLite and
 * PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMail } from '../../src/mail/outbox.js';
import { cli } from '../helpers/cli.js';
import { DATABASES, makeCore, type TestCore } from '../helpers/core.js';

const MESSAGES = 105;

describe.each(DATABASES)('outbox list on %s', (database) => {
  let t: TestCore;
  const run = (...args: string[]) => cli(t.env, ['outbox', 'list', ...args]);
  const rows = (stdout: string) => stdout.trimEnd().split('\n').slice(1);

  beforeAll(async () => {
    t = await makeCore(database);
    for (let i = 1; i <= MESSAGES; i++) {
      t.clock.advance(1000);
      await enqueueMail(t.core, {
        kind: 'test',
        to: { name: `User ${i}`, address: `user${i}@example.org` },
        subject: `Message ${i}`,
        text: 'hello',
        html: '<p>hello</p>',
      });
    }
  });
  afterAll(() => t.close());

  it('shows the newest 100 and says how many there are and how to see them', async () => {
    const result = await run();
    expect(result.code).toBe(0);
    const shown = rows(result.stdout);
    expect(shown).toHaveLength(100);
    expect(shown[0]).toContain(`user${MESSAGES}@example.org`);
    expect(shown.at(-1)).toContain('user6@example.org');
    expect(result.stderr).toBe(
      `showing the newest 100 of ${MESSAGES} messages; --limit ${MESSAGES} shows them all\n`,
    );
  });

  it('shows them all with --limit, and then says nothing more', async () => {
    const result = await run('--limit', String(MESSAGES));
    expect(result.code).toBe(0);
    expect(rows(result.stdout)).toHaveLength(MESSAGES);
    expect(result.stderr).toBe('');
  });

  it('keeps --json output whole and says on standard error that there is more', async () => {
    const result = await run('--json', '--limit', '3');
    expect(result.code).toBe(0);
    const messages = JSON.parse(result.stdout) as { to: string }[];
    expect(messages.map((m) => m.to)).toEqual([
      'user105@example.org',
      'user104@example.org',
      'user103@example.org',
    ]);
    expect(result.stderr).toContain(`showing the newest 3 of ${MESSAGES} messages`);
  });

  it('counts within the state asked for', async () => {
    const result = await run('--state', 'stored', '--limit', '10');
    expect(rows(result.stdout)).toHaveLength(10);
    expect(result.stderr).toContain(`of ${MESSAGES} messages`);
    const none = await run('--state', 'sent');
    expect(none.stdout.trim()).toBe('(no mail)');
    expect(none.stderr).toBe('');
  });

  it.each([['0'], ['abc'], ['1.5'], ['10001']])(
    'refuses --limit %s with the usage, exit 2',
    async (limit) => {
      const result = await run('--limit', limit);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--limit must be a whole number from 1 to 10000');
      expect(result.stdout).toBe('');
    },
  );

  it('refuses an unknown --state, exit 2', async () => {
    const result = await run('--state', 'delivered');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--state must be one of stored, queued');
  });
});
