/**
 * Bulk runs and reminders through REST: a run is answered at once (202) and read back as
 * the server's job works it; its failed rows download as CSV with formulas neutralised;
 * the enrollment list filters by run and by date; a reminder reaches only what is open.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tickBulkRuns } from '../../src/enrollment/bulk-run-worker.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DATABASES, START } from '../helpers/core.js';

const DAY = 86_400_000;

describe.each(DATABASES)('bulk runs through REST on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database);
  });
  afterEach(async () => t.close());

  const post = (url: string, payload: object) => t.call({ method: 'POST', url, payload });
  const get = (url: string) => t.call({ method: 'GET', url });

  it('queues a run, shows its figures once worked, and lists its failed rows as safe CSV', async () => {
    const rows = [
      { username: 'ann', email: 'ann@example.org' },
      { username: '=cmd', email: 'x@example.org' },
      { username: 'ghost' },
    ];
    const preview = await post('/api/v1/enrollments/bulk-runs/preview', { rows });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      total: 3,
      newUsers: 1,
      started: 0,
      invalid: [
        { row: 2, username: '=cmd', reason: expect.stringContaining('username must be') },
        { row: 3, username: 'ghost', reason: expect.stringContaining('no such user') },
      ],
    });
    expect((await get('/api/v1/enrollments/bulk-runs')).json().items).toEqual([]);
    const started = await post('/api/v1/enrollments/bulk-runs', { rows, replace: true });
    expect(started.statusCode).toBe(202);
    const run = started.json();
    expect(run).toMatchObject({ state: 'queued', total: 3, done: 0, startedBy: 'apikey:admin' });
    expect(run.options).toEqual({ resend: false, replace: true, lifetimeMs: null });

    await tickBulkRuns(t.core, { worker: 'w' });
    const shown = (await get(`/api/v1/enrollments/bulk-runs/${run.id}`)).json();
    expect(shown).toMatchObject({
      state: 'done',
      done: 3,
      counts: { started: 1, skipped: 1, failed: 1, stored: 1, sent: 0 },
    });
    expect(
      (await get('/api/v1/enrollments/bulk-runs')).json().items.map((r: { id: string }) => r.id),
    ).toEqual([run.id]);

    const csv = await get(`/api/v1/enrollments/bulk-runs/${run.id}/failed.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${run.id}-failed.csv"`);
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('row,username,kind,reason');
    // The username typed into the file cannot become a formula in a spreadsheet.
    expect(lines[1]).toMatch(/^2,'=cmd,failed,"username must be 1 to 64 characters/);
    expect(lines[2]).toBe(
      '3,ghost,unknown,"no such user, and the row gives no e-mail address to create one"',
    );

    const both = await post('/api/v1/enrollments/bulk-runs', {
      rows,
      directory: { filter: '(uid=*)' },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.message).toBe('give rows or a directory filter, one of the two');
    const empty = await post('/api/v1/enrollments/bulk-runs', { rows: [] });
    expect(empty.statusCode).toBe(400);
    const cancel = await post(`/api/v1/enrollments/bulk-runs/${run.id}/cancel`, {});
    expect(cancel.statusCode).toBe(409);
    expect((await get('/api/v1/enrollments/bulk-runs/BR0000000000')).statusCode).toBe(404);
  });

  it('filters enrollments by run and date, and reminds only the open ones', async () => {
    const first = (
      await post('/api/v1/enrollments/bulk-runs', {
        rows: [
          { username: 'ann', email: 'ann@example.org' },
          { username: 'bob', email: 'bob@example.org' },
        ],
      })
    ).json();
    await tickBulkRuns(t.core, { worker: 'w' });
    t.clock.advance(2 * DAY);
    expect(
      (await post('/api/v1/enrollments', { username: 'ann', sendMail: false })).statusCode,
    ).toBe(201);
    const byRun = (await get(`/api/v1/enrollments?batch=${first.id}`)).json().items;
    expect(byRun.map((e: { username: string }) => e.username).sort()).toEqual(['ann', 'bob']);
    expect(byRun.find((e: { username: string }) => e.username === 'ann').state).toBe('cancelled');
    const since = new Date(START + DAY).toISOString();
    const later = (await get(`/api/v1/enrollments?since=${since}`)).json().items;
    expect(
      later.map((e: { username: string; batch: string | null }) => [e.username, e.batch]),
    ).toEqual([['ann', null]]);
    const earlier = (await get(`/api/v1/enrollments?until=${since}`)).json().items;
    expect(earlier).toHaveLength(2);

    const reminded = await post('/api/v1/enrollments/remind', {});
    expect(reminded.statusCode).toBe(200);
    expect(reminded.json()).toEqual({ reminded: 2, sent: 0, stored: 2, failed: [] });
  });
});
