/**
 * The audit log's filters, as scripts use them: `GET /api/v1/audit` and `pforte audit
 * list` narrow by user, action, outcome, face, address and time range alike, and refuse
 * what is not a filter with a 400 or a usage error. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit, type AuditEntry } from '../../src/audit/record.js';
import type { Caller } from '../../src/context.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { DATABASES, START } from '../helpers/core.js';

describe.each(DATABASES)('audit list filters on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database);
    const record = (caller: Partial<Caller>, entry: Partial<AuditEntry>, serial: string) =>
      recordAudit(
        t.core,
        { face: 'portal', actor: 'someone', address: '192.0.2.1', ...caller },
        { action: 'signin', outcome: 'accept', serial, ...entry },
      );
    await record({}, { username: 'alice' }, 'EV-1');
    await record({ face: 'radius', address: '198.51.100.7' }, { outcome: 'reject' }, 'EV-2');
    t.clock.advance(3_600_000);
    await record({ face: 'console' }, { action: 'token.unlock', outcome: 'success' }, 'EV-3');
  });
  afterEach(async () => t.close());

  const serials = (items: { serial: string }[]) =>
    items.map((e) => e.serial).filter((s) => s.startsWith('EV-'));

  it('narrows GET /api/v1/audit by each filter', async () => {
    const list = async (query: string) => {
      const answer = await t.call({ method: 'GET', url: `/api/v1/audit?${query}` });
      expect(answer.statusCode, query).toBe(200);
      return serials(answer.json().items);
    };
    expect(await list('')).toEqual(['EV-3', 'EV-2', 'EV-1']);
    expect(await list('username=ALICE')).toEqual(['EV-1']);
    expect(await list('action=token.unlock')).toEqual(['EV-3']);
    expect(await list('outcome=reject')).toEqual(['EV-2']);
    expect(await list('face=radius')).toEqual(['EV-2']);
    expect(await list('address=198.51.100.7')).toEqual(['EV-2']);
    const at = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    expect(await list(`until=${at(START + 1)}`)).toEqual(['EV-2', 'EV-1']);
    expect(await list(`since=${at(START + 1)}`)).toEqual(['EV-3']);
  });

  it('refuses what is no filter with a 400', async () => {
    for (const query of [
      'outcome=maybe',
      'face=telnet',
      'action=DROP%20TABLE',
      `action=${'a'.repeat(65)}`,
      'address=%3Cscript%3E',
      'until=yesterday',
      'since=2026-13-45T99:00:00Z',
      'colour=red',
    ]) {
      const answer = await t.call({ method: 'GET', url: `/api/v1/audit?${query}` });
      expect(answer.statusCode, query).toBe(400);
      expect(answer.json().error.code, query).toBe('ERR_VALIDATION');
    }
  });

  it('narrows pforte audit list by its flags, and refuses a wrong one', async () => {
    const run = async (...args: string[]) => {
      const result = await cli(t.env, ['audit', 'list', '--json', ...args]);
      expect(result.code, args.join(' ')).toBe(0);
      return serials(JSON.parse(result.stdout));
    };
    expect(await run('--action', 'token.unlock')).toEqual(['EV-3']);
    expect(await run('--outcome', 'reject', '--face', 'radius')).toEqual(['EV-2']);
    expect(await run('--address', '198.51.100.7')).toEqual(['EV-2']);
    expect(await run('--user', 'Alice')).toEqual(['EV-1']);
    expect(await run('--until', new Date(START + 1).toISOString())).toEqual(['EV-2', 'EV-1']);
    const wrong = await cli(t.env, ['audit', 'list', '--outcome', 'maybe']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--outcome must be one of success, failure, accept, reject');
    const late = await cli(t.env, ['audit', 'list', '--until', 'soon']);
    expect(late.code).toBe(2);
  });
});
