/**
 * The audit log in the console: each filter narrows the list, the pager walks it newest
 * first without repeating a row, the chain check shows intact or where it breaks, and
 * the CSV export holds the filtered rows with formulas neutralised. Help-desk operators
 * get none of it; hostile filters and forms are refused with a page, never a 500.
 * On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit, type AuditEntry } from '../../src/audit/record.js';
import type { Caller } from '../../src/context.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { DATABASES, START } from '../helpers/core.js';
import { snapshotDatabase } from '../helpers/snapshot.js';

/** The markers (serials) of the events a page lists, in its order. */
function markers(body: string): string[] {
  return [...body.matchAll(/<td>(EV-\d+)<\/td>/g)].map((m) => m[1]!);
}

function nextLink(body: string): string | undefined {
  return /<a href="([^"]+)" rel="next">/.exec(body)?.[1]?.replaceAll('&amp;', '&');
}

describe.each(DATABASES)('console audit log on %s', (database) => {
  let t: TestApp;
  let admin: ConsoleBrowser;
  let count = 0;
  const record = (caller: Partial<Caller>, entry: Partial<AuditEntry>) =>
    recordAudit(
      t.core,
      { face: 'portal', actor: 'someone', address: '192.0.2.1', ...caller },
      { action: 'signin', outcome: 'accept', serial: `EV-${++count}`, ...entry },
    );

  beforeEach(async () => {
    t = await makeApp(database);
    admin = await signedInOperator(t, 'olga', 'admin');
    count = 0;
  });
  afterEach(async () => t.close());

  it('narrows the list by each filter, and by several at once', async () => {
    await record({}, { username: 'alice' }); // EV-1
    await record({}, { username: 'bob', outcome: 'reject', reason: 'bad_otp' }); // EV-2
    await record({ face: 'api', address: '198.51.100.7' }, { username: 'alice' }); // EV-3
    t.clock.advance(2 * 86_400_000);
    await record({ face: 'console' }, { action: 'token.unlock', outcome: 'success' }); // EV-4
    await admin.signInNow();
    const shown = async (query: string) =>
      markers((await admin.request('GET', `/admin/audit?${query}`)).body);

    expect(await shown('')).toEqual(['EV-4', 'EV-3', 'EV-2', 'EV-1']);
    expect(await shown('user=Alice')).toEqual(['EV-3', 'EV-1']);
    expect(await shown('action=token.unlock')).toEqual(['EV-4']);
    expect(await shown('outcome=reject')).toEqual(['EV-2']);
    expect(await shown('face=api')).toEqual(['EV-3']);
    expect(await shown('address=198.51.100.7')).toEqual(['EV-3']);
    expect(await shown('since=24h')).toEqual(['EV-4']);
    const day = new Date(START);
    const date = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    // "Until" a day includes that day; "from" a day starts at its midnight (server time).
    expect(await shown(`until=${date(day)}`)).toEqual(['EV-3', 'EV-2', 'EV-1']);
    const later = new Date(START + 2 * 86_400_000);
    expect(await shown(`since=${date(later)}`)).toEqual(['EV-4']);
    expect(await shown('user=alice&face=portal&outcome=accept&action=signin')).toEqual(['EV-1']);
    const none = await admin.request('GET', '/admin/audit?user=nobody');
    expect(none.body).toContain('Keine Einträge für diese Auswahl.');
    // The form shows the filters it applied.
    const page = await admin.request('GET', '/admin/audit?user=alice&outcome=reject');
    expect(page.body).toMatch(/name="user"\s+type="text"\s+value="alice"/);
    expect(page.body).toMatch(/<option value="reject" selected>/);
  });

  it('answers the overview’s link: sign-ins accepted in the last 24 hours', async () => {
    await record({}, { username: 'old' });
    t.clock.advance(25 * 3_600_000);
    await record({}, { username: 'alice' });
    await record({}, { username: 'bob', outcome: 'reject' });
    await admin.signInNow();
    const page = await admin.request('GET', '/admin/audit?action=signin&outcome=accept&since=24h');
    expect(page.statusCode).toBe(200);
    expect(markers(page.body)).toEqual(['EV-2']);
    // The operator's own sign-in is there too, with no marker.
    expect(page.body).toContain('<a href="/admin/users/olga">olga</a>');
  });

  it('pages newest first, 50 a page, without repeating or missing an event', async () => {
    for (let i = 0; i < 120; i++) {
      await record({}, { username: i % 2 ? 'odd' : 'even', action: 'token.update' });
    }
    const seen: string[] = [];
    let url: string | undefined = '/admin/audit?action=token.update';
    let pages = 0;
    while (url) {
      const page = await admin.request('GET', url);
      expect(page.statusCode).toBe(200);
      seen.push(...markers(page.body));
      url = nextLink(page.body);
      if (url) expect(url).toContain('action=token.update');
      pages++;
      // Events added between pages neither repeat nor push others out.
      if (pages === 1) await record({}, { action: 'token.update' });
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe('EV-120');
    expect(seen.at(-1)).toBe('EV-1');
    const odd = await admin.request('GET', '/admin/audit?action=token.update&user=odd');
    expect(markers(odd.body)).toHaveLength(50);
    expect(markers(odd.body).every((m) => Number(m.slice(3)) % 2 === 0)).toBe(true);
  });

  it('verifies the chain: intact with the count, then where a changed row breaks it', async () => {
    await record({}, { username: 'alice' });
    await record({}, { username: 'bob' });
    const events = async () =>
      Number(
        (
          await t.core.store.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<string | number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await events();
    const intact = await admin.submit('/admin/audit', '/admin/audit/verify');
    expect(intact.statusCode).toBe(200);
    expect(intact.body).toContain(`Die Kette ist unversehrt: ${before} Einträge geprüft.`);
    const check = await t.core.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'audit.verify')
      .execute();
    expect(check).toMatchObject([{ actor: 'olga', face: 'console', outcome: 'success' }]);

    await t.core.store.db
      .updateTable('audit_events')
      .set({ username: 'mallory' })
      .where('serial', '=', 'EV-2')
      .execute();
    const broken = await admin.submit('/admin/audit?lang=en', '/admin/audit/verify');
    expect(broken.statusCode).toBe(200);
    expect(broken.body).toMatch(
      /The chain breaks at event \d+: the event was changed\. The \d+ events before it are intact\./,
    );
    const failure = await t.core.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'audit.verify')
      .where('outcome', '=', 'failure')
      .execute();
    expect(failure).toMatchObject([{ actor: 'olga', reason: 'event changed' }]);
  });

  it('exports the filtered view as CSV, quoted, with formulas neutralised', async () => {
    await record({}, { username: 'alice' });
    await record({}, { username: '=hyperlink("http://evil.example")', detail: { note: '+1' } });
    await record({}, { username: '-2+3', detail: { note: 'a "quoted", text' } });
    await record({}, { username: 'bob', outcome: 'reject' });
    const csv = await admin.request('GET', '/admin/audit.csv?outcome=accept');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="pforte-audit-2026-11-29.csv"',
    );
    expect(csv.headers['cache-control']).toBe('no-store');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'id,at,actor,face,action,outcome,reason,username,serial,address,detail,sealed',
    );
    const rows = lines.filter((line) => line.includes(',EV-'));
    expect(rows.map((line) => /,(EV-\d+),/.exec(line)![1])).toEqual(['EV-3', 'EV-2', 'EV-1']);
    expect(rows[1]).toContain(`,"'=hyperlink(""http://evil.example"")",EV-2,`);
    expect(rows[1]).toContain(`"{""note"":""+1""}"`);
    expect(rows[0]).toContain(`,'-2+3,EV-3,`);
    expect(rows[0]).toContain(`"{""note"":""a \\""quoted\\"", text""}"`);
    expect(csv.body).not.toMatch(/(^|,)[=+\-@]/m);
  });

  it('streams an export of more than one page, every event once', async () => {
    for (let i = 0; i < 1005; i++) await record({}, { action: 'token.update' });
    const csv = await admin.request('GET', '/admin/audit.csv?action=token.update');
    const rows = csv.body.split('\r\n').filter((line) => line.includes(',EV-'));
    expect(rows).toHaveLength(1005);
    expect(new Set(rows).size).toBe(1005);
  });

  it('refuses a help-desk operator every page and action, and changes nothing', async () => {
    await record({}, { username: 'alice' });
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    const before = await snapshotDatabase(t.core);
    for (const url of ['/admin/audit', '/admin/audit.csv', '/admin/audit?user=alice']) {
      const page = await helpdesk.request('GET', url);
      expect(page.statusCode).toBe(403);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('Nicht erlaubt');
      expect(page.body).not.toContain('EV-1');
    }
    const overview = await helpdesk.request('GET', '/admin/');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(overview.body)![1]!;
    const verify = await helpdesk.request('POST', '/admin/audit/verify', { _csrf: csrf });
    expect(verify.statusCode).toBe(403);
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('refuses hostile filters with a clear page and the form again, never a 500', async () => {
    const cases: [string, string][] = [
      [`user=${'a'.repeat(300)}`, 'Der Filter „Benutzer“ ist ungültig'],
      ['user=a%00b', 'Der Filter „Benutzer“ ist ungültig'],
      ['user=a&user=b', 'Der Filter „Benutzer“ ist ungültig'],
      ['outcome=maybe', 'einen dieser Werte: success, failure, accept, reject'],
      ['face=telnet', 'Der Filter „Schnittstelle“ ist ungültig'],
      ['since=yesterday', 'Der Filter „Von“ ist ungültig'],
      ['since=2026-02-30', 'Der Filter „Von“ ist ungültig'],
      ['since=2026-11-29T25:00', 'Der Filter „Von“ ist ungültig'],
      ['until=24h', 'Der Filter „Bis“ ist ungültig'],
      ['since=2026-12-02&until=2026-12-01', '„Bis“ liegt vor „Von“'],
      ['since=99999999d', 'Der Filter „Von“ ist ungültig'],
    ];
    for (const [query, message] of cases) {
      const page = await admin.request('GET', `/admin/audit?${query}`);
      expect(page.statusCode, query).toBe(400);
      expect(page.body, query).toContain(message);
      expect(page.body, query).toContain('action="/admin/audit"');
      const csv = await admin.request('GET', `/admin/audit.csv?${query}`);
      expect(csv.statusCode, query).toBe(400);
      expect(csv.headers['content-type'], query).toContain('text/html');
    }
    const cursor = await admin.request('GET', '/admin/audit?cursor=bm9wZQ');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.body).toContain('cursor is not one this list gave');
    const english = await admin.request('GET', '/admin/audit?lang=en&since=soon');
    expect(english.body).toContain('The filter “From” is not valid');
  });

  it('refuses the chain check without the form’s CSRF token, and records nothing', async () => {
    const before = await snapshotDatabase(t.core);
    const forms: Record<string, string>[] = [{}, { _csrf: 'forged' }, { _csrf: 'x'.repeat(300) }];
    for (const form of forms) {
      const answer = await admin.request('POST', '/admin/audit/verify', form);
      expect(answer.statusCode).toBe(403);
      expect(answer.body).toContain('Das Formular ist abgelaufen');
    }
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('speaks English when asked', async () => {
    await record({}, { username: 'alice', outcome: 'reject' });
    const page = await admin.request('GET', '/admin/audit?lang=en');
    expect(page.body).toContain('<h1>Audit log</h1>');
    expect(page.body).toContain('Verify chain');
    expect(page.body).toContain('Export as CSV');
    expect(page.body).toContain('>refused</span>');
    const german = await admin.request('GET', '/admin/audit?lang=de');
    expect(german.body).toContain('Kette prüfen');
    expect(german.body).toContain('>abgelehnt</span>');
  });
});
