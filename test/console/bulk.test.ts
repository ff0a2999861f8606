/**
 * Bulk enrollment in the console (issue 12, item 5): an administrator uploads a CSV file
 * in the CLI's format, sees a preview that changes nothing, starts the run, and follows
 * it on its page (a progress bar fed by JSON, a Refresh link without script) to its
 * summary and the rows that need a look, also as CSV. The run is the server's: the job's
 * tick is called directly, as the process host would. A help-desk operator is refused
 * everything here, and hostile uploads get a page saying why, with nothing changed.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { tickBulkRuns } from '../../src/enrollment/bulk-run-worker.js';
import { listEnrollments, startEnrollment } from '../../src/enrollment/enrollments.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { createUser, updateUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { multipartBody, type Part } from '../helpers/multipart.js';
import { hiddenFields } from '../helpers/portal-client.js';
import { directoriesEnv, startSlapd } from '../helpers/slapd.js';
import { addUserWithToken } from '../helpers/tokens.js';

const staffCsv = (count: number) =>
  [
    'username,email,name,lang',
    ...Array.from({ length: count }, (_, i) => `staff${i},staff${i}@example.org,Staff ${i},de`),
  ].join('\n');

/** Posts the upload form of /admin/bulk with `parts` (the page's CSRF token first, unless `csrf` says otherwise). */
async function upload(
  t: TestApp,
  operator: ConsoleBrowser,
  parts: Part[],
  csrf: 'page' | 'none' | 'wrong' = 'page',
): Promise<LightMyRequestResponse> {
  const page = await operator.request('GET', '/admin/bulk');
  const token = csrf === 'page' ? hiddenFields(page)._csrf! : 'not-the-token';
  const body = multipartBody([
    ...(csrf === 'none' ? [] : [{ name: '_csrf', value: token }]),
    ...parts,
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/admin/bulk/upload',
    remoteAddress: '127.0.0.1',
    headers: {
      cookie: [...operator.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'accept-language': 'de-DE',
      'content-type': body.contentType,
    },
    payload: body.payload,
  });
}

const csvFile = (content: string | Buffer, filename = 'staff.csv'): Part => ({
  name: 'file',
  value: content,
  filename,
});

/** The figure a preview page shows beside `label`. */
function figure(page: LightMyRequestResponse, label: string): number | undefined {
  const match = new RegExp(`<span class="figure-value">(\\d+)</span>\\s*${label}`).exec(page.body);
  return match ? Number(match[1]) : undefined;
}

async function bulkRunCount(t: TestApp): Promise<number> {
  const row = await t.core.store.db
    .selectFrom('bulk_runs')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(DATABASES)('bulk enrollment in the console on %s', (database) => {
  let t: TestApp;
  let admin: ConsoleBrowser;
  beforeEach(async () => {
    t = await makeApp(database);
    admin = await signedInOperator(t, 'olga', 'admin');
  });
  afterEach(async () => t.close());

  it('previews a 200-row CSV without changing anything, then runs it to done: 200 mails in the outbox', async () => {
    const sent = await upload(t, admin, [csvFile(staffCsv(200))]);
    expect(sent.statusCode).toBe(303);
    const runPath = sent.headers.location as string;
    expect(runPath).toMatch(/^\/admin\/bulk\/BR[0-9A-Z]{10}$/);

    const preview = await admin.request('GET', runPath);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Vorschau der Masseneinrichtung');
    expect(preview.body).toContain('Die Datei hat 200 Zeilen.');
    expect(figure(preview, 'Neue Benutzer, die eingerichtet werden')).toBe(200);
    expect(figure(preview, 'Ungültige Zeilen')).toBe(0);
    expect(preview.body).toContain('Datei staff.csv');
    // A preview changes nothing: no user, no enrollment, no mail, no run in the list.
    expect((await listEnrollments(t.core)).items).toEqual([]);
    expect((await listOutbox(t.core)).items).toEqual([]);
    expect((await admin.request('GET', '/admin/bulk')).body).toContain('Noch keine Läufe.');

    const started = await admin.submit(runPath, `${runPath}/start`);
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toBe(runPath);
    const waiting = await admin.request('GET', runPath);
    expect(waiting.body).toContain(`data-progress-url="${runPath}/progress"`);
    expect(waiting.body).toMatch(
      /<progress\s+id="run-progress"\s+aria-label="Fortschritt"\s+max="200"\s+value="0"\s*>/,
    );
    expect(waiting.body).toContain(`<a class="button" href="${runPath}">Aktualisieren</a>`);
    expect((await admin.request('GET', `${runPath}/progress`)).json()).toEqual({
      done: 0,
      total: 200,
      state: 'queued',
      text: '0 von 200 Zeilen',
    });
    // Every operator sees every run: the list names it, with who started it.
    expect((await admin.request('GET', '/admin/bulk')).body).toMatch(
      /wartet[^]*0 von 200 Zeilen[^]*olga/,
    );

    await tickBulkRuns(t.core, { worker: 'server' });
    expect((await admin.request('GET', `${runPath}/progress`)).json()).toMatchObject({
      done: 200,
      state: 'done',
    });
    const done = await admin.request('GET', runPath);
    expect(done.body).toContain('<span class="state state-done">fertig</span>');
    expect(done.body).not.toContain('data-progress-url');
    expect(done.body).toMatch(/<dt>Neu eingerichtet<\/dt>\s*<dd>200<\/dd>/);
    expect(done.body).toMatch(/<dt>E-Mails im Postausgang<\/dt>\s*<dd>200<\/dd>/);
    expect(done.body).toContain('Keine Zeile hatte ein Problem.');
    const outbox = await listOutbox(t.core, { limit: 1000 });
    expect(outbox.items).toHaveLength(200);
    expect(new Set(outbox.items.map((m) => m.to)).size).toBe(200);
    const runId = runPath.split('/').pop()!;
    const batch = await listEnrollments(t.core, { batch: runId, limit: 1000 });
    expect(batch.items).toHaveLength(200);
    // The run's work is the operator's who started it, through the console.
    const audit = (await listAudit(t.core, { limit: 1000 })).items;
    const starts = audit.filter((e) => e.action === 'enrollment.start');
    expect(starts).toHaveLength(200);
    expect(new Set(starts.map((e) => `${e.face}:${e.actor}`))).toEqual(new Set(['console:olga']));
    expect(
      audit.filter((e) => e.action.startsWith('bulk.')).map((e) => [e.action, e.actor]),
    ).toEqual([
      ['bulk.finish', 'olga'],
      ['bulk.start', 'olga'],
    ]);
  });

  it('lists invalid rows with their reasons, in the preview, on the run page and as CSV', async () => {
    await addUserWithToken(t.core, 'held');
    await createUser(t.core, ADMIN, { username: 'waiting', email: 'waiting@example.org' });
    await startEnrollment(t.core, ADMIN, { username: 'waiting', sendMail: false });
    await createUser(t.core, ADMIN, { username: 'off', email: 'off@example.org' });
    await updateUser(t.core, ADMIN, 'off', { disabled: true });
    const csv = [
      'username,email,name,lang',
      'new1,new1@example.org,Neu Eins,de',
      'held',
      'waiting',
      'off',
      'ghost',
      '"=HYPERLINK(""http://evil.example"")",x@example.org',
      'new2,not-an-address',
      'new3,new3@example.org,,fr',
    ].join('\r\n');
    const sent = await upload(t, admin, [csvFile(csv), { name: 'replace', value: 'on' }]);
    const runPath = sent.headers.location as string;
    const preview = await admin.request('GET', runPath);
    expect(figure(preview, 'Neue Benutzer, die eingerichtet werden')).toBe(1);
    expect(figure(preview, 'Benutzer mit Token, die neu eingerichtet werden')).toBe(1);
    expect(figure(preview, 'Übersprungen: Einrichtung ist schon offen')).toBe(1);
    expect(figure(preview, 'Ungültige Zeilen')).toBe(5);
    for (const reason of [
      'the user is disabled',
      'no such user, and the row gives no e-mail address to create one',
      'username must be 1 to 64 characters',
      'email must be an e-mail address such as name@example.org',
      'lang must be de or en',
    ]) {
      expect(preview.body).toContain(reason);
    }
    expect(preview.body).toContain('Token ersetzen');

    await admin.submit(runPath, `${runPath}/start`);
    await tickBulkRuns(t.core, { worker: 'server' });
    const done = await admin.request('GET', runPath);
    expect(done.body).toMatch(/<dt>Neu eingerichtet<\/dt>\s*<dd>1<\/dd>/);
    expect(done.body).toMatch(/<dt>Neu eingerichtet \(Token ersetzt\)<\/dt>\s*<dd>1<\/dd>/);
    expect(done.body).toMatch(/<dt>Fehlgeschlagen<\/dt>\s*<dd>3<\/dd>/);
    expect(done.body).toContain('unbekannter Benutzer');
    expect(done.body).toContain(`href="${runPath}/failed.csv"`);

    const csvAnswer = await admin.request('GET', `${runPath}/failed.csv`);
    expect(csvAnswer.statusCode).toBe(200);
    expect(csvAnswer.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csvAnswer.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('row,username,kind,reason');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
      '4,off,disabled',
      '5,ghost,unknown',
      `6,"'=HYPERLINK(""http://evil.example"")",failed`,
      '7,new2,failed',
      '8,new3,failed',
    ]);
  });

  it('discards a preview without a trace, and cancels a run between rows', async () => {
    const first = (await upload(t, admin, [csvFile(staffCsv(3))])).headers.location as string;
    const discarded = await admin.submit(first, `${first}/cancel`);
    expect(discarded.body).toContain('Die Vorschau wurde verworfen. Es wurde nichts geändert.');
    expect(await bulkRunCount(t)).toBe(0);
    expect((await admin.request('GET', first)).statusCode).toBe(404);

    const second = (await upload(t, admin, [csvFile(staffCsv(30))])).headers.location as string;
    await admin.submit(second, `${second}/start`);
    await tickBulkRuns(t.core, { worker: 'server', rowBudget: 10 });
    const cancelled = await admin.submit(second, `${second}/cancel`);
    expect(cancelled.body).toContain('Der Lauf wurde abgebrochen.');
    await tickBulkRuns(t.core, { worker: 'other' });
    const page = await admin.request('GET', second);
    expect(page.body).toContain('abgebrochen');
    expect(page.body).toContain('10 von 30 Zeilen');
    expect((await listEnrollments(t.core)).items).toHaveLength(10);
  });

  it('refuses a help-desk operator the bulk pages and every action, and changes nothing', async () => {
    const run = (await upload(t, admin, [csvFile(staffCsv(2))])).headers.location as string;
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    for (const path of ['/admin/bulk', run, `${run}/progress`, `${run}/failed.csv`]) {
      const page = await helpdesk.request('GET', path);
      expect(page.statusCode, path).toBe(403);
      expect(page.body).toContain('Diese Seite oder Aktion ist Ihrer Rolle nicht erlaubt.');
    }
    const csrf = hiddenFields(await helpdesk.request('GET', '/admin/'))._csrf!;
    expect((await helpdesk.request('POST', `${run}/start`, { _csrf: csrf })).statusCode).toBe(403);
    const uploaded = await upload(t, helpdesk, [csvFile(staffCsv(2))]);
    expect(uploaded.statusCode).toBe(403);
    expect(await bulkRunCount(t)).toBe(1);
    expect((await listEnrollments(t.core)).items).toEqual([]);
    expect((await admin.request('GET', run)).body).toContain('Vorschau der Masseneinrichtung');
  });

  it('answers hostile uploads with a page that says why, and keeps nothing', async () => {
    const cases: [string, Part[], 'page' | 'none' | 'wrong', number, string][] = [
      [
        'too big',
        [csvFile(Buffer.alloc(5 * 1024 * 1024 + 1, 'a'))],
        'page',
        413,
        'Die Datei ist zu groß: höchstens 5 MB.',
      ],
      [
        'binary',
        [csvFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff]), 'photo.png')],
        'page',
        400,
        'Die Datei ist keine CSV-Liste von Benutzern.',
      ],
      [
        'not UTF-8',
        [csvFile(Buffer.from([0x61, 0x6c, 0x69, 0x63, 0x65, 0xe4, 0x0a]))],
        'page',
        400,
        'it is not UTF-8 text',
      ],
      [
        '10,000 columns',
        [csvFile(`${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')}\n`)],
        'page',
        400,
        'Die Datei ist keine CSV-Liste von Benutzern.',
      ],
      ['empty', [csvFile('')], 'page', 400, 'Es wurde keine Datei hochgeladen.'],
      ['no file', [], 'page', 400, 'Es wurde keine Datei hochgeladen.'],
      [
        'two files',
        [csvFile(staffCsv(1)), csvFile(staffCsv(1), 'more.csv')],
        'page',
        413,
        'Bitte laden Sie genau eine Datei hoch.',
      ],
      [
        'unknown field',
        [{ name: 'admin', value: 'yes' }, csvFile(staffCsv(1))],
        'page',
        400,
        'Das Hochladen konnte nicht gelesen werden.',
      ],
      ['no CSRF token', [csvFile(staffCsv(1))], 'none', 403, 'Das Formular ist abgelaufen'],
      ['a wrong CSRF token', [csvFile(staffCsv(1))], 'wrong', 403, 'Das Formular ist abgelaufen'],
    ];
    for (const [what, parts, csrf, status, message] of cases) {
      const answer = await upload(t, admin, parts, csrf);
      expect(answer.statusCode, what).toBe(status);
      expect(answer.headers['content-type'], what).toContain('text/html');
      expect(answer.body, what).toContain(message);
    }
    // Not multipart at all, and a body whose boundary never comes.
    const csrf = hiddenFields(await admin.request('GET', '/admin/bulk'))._csrf!;
    const form = await admin.request('POST', '/admin/bulk/upload', { _csrf: csrf, file: 'x' });
    expect(form.statusCode).toBe(415);
    expect(form.body).toContain('Bitte wählen Sie eine CSV-Datei');
    const broken = await t.app.inject({
      method: 'POST',
      url: '/admin/bulk/upload',
      headers: {
        cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'multipart/form-data; boundary=nothing-like-it',
      },
      payload:
        '--other\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
    expect(await bulkRunCount(t)).toBe(0);
    expect((await listEnrollments(t.core)).items).toEqual([]);
  });
});

describe('bulk enrollment by directory filter in the console', () => {
  it('previews everyone a filter finds, runs them, and says why a filter is refused', async () => {
    const ldap = await startSlapd();
    const t = await makeApp('sqlite', { PFORTE_DIRECTORIES: directoriesEnv(ldap) });
    try {
      const admin = await signedInOperator(t, 'olga', 'admin');
      const name = t.core.directories[0]!.name;
      const index = await admin.request('GET', '/admin/bulk');
      expect(index.body).toContain(`<option value="${name}">${name}</option>`);
      const sent = await admin.submit('/admin/bulk', '/admin/bulk/directory', {
        directory: name,
        filter: '(departmentNumber=sales)',
      });
      expect(sent.statusCode).toBe(303);
      const runPath = sent.headers.location as string;
      const preview = await admin.request('GET', runPath);
      expect(figure(preview, 'Neue Benutzer, die eingerichtet werden')).toBe(2);
      expect(preview.body).toContain(`Verzeichnis ${name}, Filter (departmentNumber=sales)`);
      await admin.submit(runPath, `${runPath}/start`);
      await tickBulkRuns(t.core, { worker: 'server' });
      expect((await listOutbox(t.core)).items.map((m) => m.to).sort()).toEqual([
        'alice@example.test',
        'bernd@example.test',
      ]);

      const refused = await admin.submit('/admin/bulk', '/admin/bulk/directory', {
        directory: name,
        filter: 'departmentNumber=sales',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('the LDAP filter must be in parentheses');
      expect(await bulkRunCount(t)).toBe(1);
    } finally {
      await t.close();
      await ldap.close();
    }
  }, 60_000);
});
