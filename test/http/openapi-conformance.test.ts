/**
 * Schemathesis-style conformance: every operation of the served OpenAPI document gets a
 * valid request and a battery of hostile ones (no key, wrong key, missing fields, wrong
 * types, unknown fields, not JSON, oversized, odd path parameters and queries, wrong
 * methods), and every answer must be one the document lists for that operation, with a
 * JSON body that validates against the documented schema.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBulkRun } from '../../src/enrollment/bulk-runs.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { portalCookies } from '../../src/http/portal/cookies.js';
import { computeStatusProof } from '../../src/protocol/token-status.js';
import { issueStatusChallenge } from '../../src/tokens/holder-status.js';
import { startSession } from '../../src/sessions/sessions.js';
import { createUser, findUserRow } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN } from '../helpers/core.js';
import { activate } from '../helpers/enrollment-client.js';
import { addToken, addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];
/** Larger than any route's body limit (4 MiB for bulk enrollment). */
const OVERSIZED = JSON.stringify({ rows: 'x'.repeat(4 * 1024 * 1024 + 1024) });

interface Operation {
  path: string;
  method: Method;
  operationId: string;
  secured: boolean;
  bodyProperties: string[] | undefined;
  pathParams: string[];
  queryParams: string[];
  statuses: string[];
  /** JSON pointer of the operation in the document. */
  pointer: string;
}

interface Fixtures {
  totp: TestToken;
  hotp: TestToken;
  locked: TestToken;
  revocable: TestToken;
  removable: TestToken;
  resent: string;
  cancelled: string;
  bulkRun: string;
  sessionCookie: string;
  failedMail: string;
  /** A fresh status-check challenge and alice's TOTP token's proof over it. */
  statusCheck: { challenge: string; proof: string };
}

interface Probe {
  url?: string;
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  payload?: string;
  contentType?: string;
  headers?: Record<string, string>;
  key?: string | null;
}

/** A valid request for each operation: the document's every operation must have one. */
const VALID: Record<string, (f: Fixtures, t: TestApp) => Probe> = {
  validateSignIn: (f, t) => ({
    key: t.validateKey,
    body: { username: 'Alice', password: PASSWORD, otp: f.totp.code(), clientAddress: '192.0.2.7' },
  }),
  listUsers: () => ({}),
  createUser: () => ({
    body: {
      username: 'dora',
      email: 'dora@example.org',
      name: 'Dora Díaz',
      lang: 'en',
      password: 'a long password',
    },
  }),
  getUser: () => ({ params: { username: 'alice' } }),
  updateUser: () => ({ params: { username: 'alice' }, body: { name: 'Alice Adams' } }),
  setUserPassword: () => ({ params: { username: 'frank' }, body: { password: 'another one' } }),
  removeUser: () => ({ params: { username: 'bob' } }),
  listTokens: () => ({ query: 'username=alice' }),
  importToken: () => ({ body: { username: 'alice', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' } }),
  getToken: (f) => ({ params: { serial: f.totp.serial } }),
  updateToken: (f) => ({ params: { serial: f.totp.serial }, body: { description: 'phone' } }),
  removeToken: (f) => ({ params: { serial: f.removable.serial } }),
  disableToken: (f) => ({ params: { serial: f.revocable.serial } }),
  enableToken: (f) => ({ params: { serial: f.revocable.serial } }),
  unlockToken: (f) => ({ params: { serial: f.locked.serial } }),
  revokeToken: (f) => ({ params: { serial: f.revocable.serial } }),
  resyncToken: (f) => ({
    params: { serial: f.hotp.serial },
    body: { code1: f.hotp.code(3), code2: f.hotp.code(4) },
  }),
  startEnrollment: () => ({ body: { username: 'grace', sendMail: false } }),
  startEnrollments: () => ({
    body: { rows: [{ username: 'heidi', email: 'heidi@example.org' }], lifetime: '2d' },
  }),
  listEnrollments: () => ({ query: 'state=open' }),
  getEnrollment: (f) => ({ params: { id: f.resent } }),
  resendEnrollment: (f) => ({ params: { id: f.resent } }),
  cancelEnrollment: (f) => ({ params: { id: f.cancelled } }),
  startBulkRun: () => ({ body: { rows: [{ username: 'ivan', email: 'ivan@example.org' }] } }),
  previewBulkRun: () => ({ body: { rows: [{ username: 'judy', email: 'judy@example.org' }] } }),
  listBulkRuns: () => ({ query: 'limit=5' }),
  getBulkRun: (f) => ({ params: { id: f.bulkRun } }),
  listBulkRunFailures: (f) => ({ params: { id: f.bulkRun } }),
  cancelBulkRun: (f) => ({ params: { id: f.bulkRun } }),
  // Only the run's (none yet): the activation below still holds its enrollment's first code.
  remindPendingEnrollments: (f) => ({ body: { lifetime: '3d', batch: f.bulkRun } }),
  listAuditEvents: () => ({ query: 'limit=5' }),
  retryMail: (f) => ({ params: { id: f.failedMail } }),
  checkHealth: () => ({}),
  checkReadiness: () => ({}),
  readOverview: () => ({}),
  issueTemporaryAccess: () => ({ params: { username: 'alice' }, body: { hours: 2, uses: 3 } }),
  checkSession: (f) => ({ headers: { cookie: f.sessionCookie } }),
  redirectToSignIn: () => ({ headers: { 'x-original-url': 'http://localhost:8080/services' } }),
  issueStatusChallenge: () => ({}),
  readTokenStatus: (f) => ({ body: { serial: f.totp.serial, ...f.statusCheck } }),
};
/** Activations take a live enrollment code and a key pair: done by the small authenticator. */
const BY_AUTHENTICATOR = ['startActivation', 'confirmActivation'];

describe('every operation of the OpenAPI document answers only as documented', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Record<string, unknown>>> };
  let operations: Operation[];
  let fixtures: Fixtured;
  let ajv: Ajv2020;
  let activationId = 'AC-unknown';
  const mismatches: string[] = [];
  const probed = new Map<string, number>();

  beforeAll(async () => {
    t = await makeApp('sqlite', {
      PFORTE_RATE_LIMIT_PER_MINUTE: '100000',
      PFORTE_ENROLLMENT_ACTIVATIONS_PER_MINUTE: '100000',
    });
    doc = (await t.call({ method: 'GET', url: '/api/v1/openapi.json', key: null })).json();
    operations = operationsOf(doc);
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: 'openapi.json' });
    fixtures = await makeFixtures(t);
  });
  afterAll(() => t.close());

  /** Sends `probe` to `op`; records an answer the document does not list for it. */
  async function send(op: Operation, probe: Probe, label: string): Promise<LightMyRequestResponse> {
    const request = toRequest(op, probe);
    const answer = await t.call(request);
    probed.set(op.operationId, (probed.get(op.operationId) ?? 0) + 1);
    const where = `${label}: ${request.method} ${String(request.url).slice(0, 80)}`;
    check(op, answer, where);
    return answer;
  }

  function check(op: Operation, answer: LightMyRequestResponse, where: string): void {
    const status = String(answer.statusCode);
    if (!op.statuses.includes(status)) {
      mismatches.push(
        `${where} answered ${status} ${answer.body.slice(0, 120)}; documented: ${op.statuses.join(', ')}`,
      );
      return;
    }
    for (const header of documentedHeaders(doc, op, status)) {
      if (answer.headers[header.toLowerCase()] === undefined) {
        mismatches.push(`${where} answered ${status} without its documented ${header}`);
      }
    }
    const pointer = `${op.pointer}/responses/${status}/content/application~1json/schema`;
    const validate = documentedResponse(doc, op, status)?.content?.['application/json']
      ? ajv.getSchema(`openapi.json#${pointer}`)
      : undefined;
    // A download (a run's failed rows) is documented by its media type, not a schema.
    const download = documentedResponse(doc, op, status)?.content?.['text/csv'];
    if (download && String(answer.headers['content-type']).startsWith('text/csv')) return;
    if (!validate) {
      if (answer.body !== '')
        mismatches.push(`${where} answered ${status} with an undocumented body`);
      return;
    }
    let body: unknown;
    try {
      body = answer.json();
    } catch {
      mismatches.push(`${where} answered ${status} with a body that is not JSON`);
      return;
    }
    if (!validate(body)) {
      mismatches.push(
        `${where} answered ${status} ${answer.body.slice(0, 120)}: ${ajv.errorsText(validate.errors)}`,
      );
    }
  }

  it('lists an operationId for every route, and a valid request for each', () => {
    const ids = operations.map((op) => op.operationId).sort();
    expect(ids).toEqual([...Object.keys(VALID), ...BY_AUTHENTICATOR].sort());
  });

  it('answers a valid request to every operation with a documented success', async () => {
    const failed: string[] = [];
    for (const op of operations) {
      if (BY_AUTHENTICATOR.includes(op.operationId)) continue;
      const answer = await send(op, VALID[op.operationId]!(fixtures, t), 'valid');
      if (answer.statusCode >= 400)
        failed.push(`${op.operationId}: ${answer.statusCode} ${answer.body}`);
    }
    const code = fixtures.activationCode;
    const byApp = await activate(async (_method, path, body) => {
      const op = operations.find(
        (o) => o.path === path.replace(/activations\/[^/]+\//, 'activations/{id}/'),
      )!;
      const answer = await send(op, { url: path, body }, 'valid');
      return { status: answer.statusCode, body: answer.json() };
    }, code);
    expect(byApp.started.status).toBe(201);
    expect((await byApp.confirm!()).status).toBe(200);
    activationId = byApp.offer!.activationId;
    expect(failed).toEqual([]);
    expect(mismatches).toEqual([]);
  });

  it('answers requests without a key, with a wrong key or with a too weak key as documented', async () => {
    for (const op of operations.filter((o) => o.secured)) {
      const valid = validProbe(op);
      await send(op, { ...valid, key: null }, 'no key');
      await send(op, { ...valid, key: 'pf_not-a-key' }, 'wrong key');
      await send(op, { ...valid, key: 'x'.repeat(300) }, 'overlong key');
      await send(
        op,
        { ...valid, key: null, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } },
        'basic auth',
      );
      if (op.operationId !== 'validateSignIn')
        await send(op, { ...valid, key: t.validateKey }, 'validate key');
    }
    // Where no key is asked for, one that is sent (even a wrong one) changes nothing.
    for (const op of operations.filter((o) => !o.secured)) {
      await send(op, { ...validProbe(op), key: 'pf_not-a-key' }, 'needless wrong key');
    }
    expect(mismatches).toEqual([]);
  });

  it('answers missing fields, wrong types and unknown fields as documented', async () => {
    for (const op of operations.filter((o) => o.bodyProperties)) {
      const valid = validProbe(op);
      const body = (valid.body ?? {}) as Record<string, unknown>;
      await send(op, { ...valid, body: {} }, 'empty object');
      await send(op, { ...valid, body: [] }, 'array');
      await send(op, { ...valid, payload: 'null', contentType: 'application/json' }, 'null');
      await send(op, { ...valid, body: { ...body, unknownField: 1 } }, 'unknown field');
      await send(op, { ...valid, body: { ...body, __proto__x: 1, constructor: {} } }, 'odd fields');
      for (const field of op.bodyProperties!) {
        const without = Object.fromEntries(Object.entries(body).filter(([name]) => name !== field));
        await send(op, { ...valid, body: without }, `without ${field}`);
        for (const [what, value] of WRONG_VALUES) {
          await send(op, { ...valid, body: { ...body, [field]: value } }, `${field} as ${what}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('answers bodies that are not JSON, broken or oversized as documented', async () => {
    for (const op of operations.filter((o) => o.method !== 'GET')) {
      const valid = validProbe(op);
      await send(op, { ...valid, payload: 'username=alice', contentType: 'text/plain' }, 'text');
      await send(
        op,
        { ...valid, payload: 'a=1', contentType: 'application/x-www-form-urlencoded' },
        'form',
      );
      await send(
        op,
        { ...valid, payload: '{"username":', contentType: 'application/json' },
        'broken JSON',
      );
      await send(op, { ...valid, payload: '', contentType: 'application/json' }, 'empty JSON');
      await send(
        op,
        { ...valid, payload: OVERSIZED, contentType: 'application/json' },
        'oversized',
      );
    }
    expect(mismatches).toEqual([]);
  });

  it('answers odd path parameters, queries and headers as documented', async () => {
    for (const op of operations) {
      const valid = validProbe(op);
      for (const param of op.pathParams) {
        for (const value of ODD_SEGMENTS) {
          await send(
            op,
            { ...valid, params: { ...valid.params, [param]: value } },
            `${param}=${value.slice(0, 20)}`,
          );
        }
      }
      const query = op.method === 'GET' ? ['zzz=1', '%ZZ=1', 'a'.repeat(5000)] : ['zzz=1'];
      for (const name of op.queryParams)
        query.push(`${name}=${'x'.repeat(300)}`, `${name}=`, `${name}=%00`);
      for (const q of query) await send(op, { ...valid, query: q }, `query ${q.slice(0, 20)}`);
      await send(
        op,
        { ...valid, headers: { ...valid.headers, cookie: 'x'.repeat(5000) } },
        'long cookie',
      );
    }
    expect(mismatches).toEqual([]);
  });

  it('answers every method a path does not have with 405 and the documented methods in Allow', async () => {
    const wrong: string[] = [];
    for (const op of operations) {
      const url = toRequest(op, validProbe(op)).url as string;
      // A concrete path can match more than one template (`/enrollments/bulk` is also
      // an `/enrollments/{id}`): the methods of all of them are the path's.
      const allow = METHODS.filter((m) =>
        operations.some((o) => o.method === m && matches(o.path, url)),
      );
      const expected = [...allow, ...(allow.includes('GET') ? ['HEAD'] : [])];
      for (const method of METHODS.filter((m) => !allow.includes(m))) {
        const answer = await t.call({ method, url });
        const allowed = String(answer.headers.allow ?? '').split(', ');
        if (
          answer.statusCode !== 405 ||
          [...allowed].sort().join() !== [...expected].sort().join() ||
          answer.json().error.code !== 'ERR_METHOD_NOT_ALLOWED'
        ) {
          wrong.push(
            `${method} ${url}: ${answer.statusCode} Allow: ${String(answer.headers.allow)}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('probed every operation', () => {
    for (const op of operations)
      expect(probed.get(op.operationId) ?? 0, op.operationId).toBeGreaterThanOrEqual(5);
    console.log(
      `${operations.length} operations, ${[...probed.values()].reduce((a, b) => a + b, 0)} requests, each answer documented`,
    );
  });

  function validProbe(op: Operation): Probe {
    if (op.operationId === 'startActivation') {
      return { body: { code: fixtures.activationCode, publicKey: 'B'.repeat(87) } };
    }
    if (op.operationId === 'confirmActivation') {
      return { params: { id: activationId }, body: { proof: 'A'.repeat(43) } };
    }
    return VALID[op.operationId]!(fixtures, t);
  }
});

const WRONG_VALUES: [string, unknown][] = [
  ['a number', 12345],
  ['an object', { $gt: '' }],
  ['an array', ['x']],
  ['null', null],
  ['true', true],
  ['a long text', 'x'.repeat(5000)],
  ['a text with a NUL', 'a\u0000b'],
  ['an empty text', ''],
  ['a look-alike', '\u0430lice'],
];

const ODD_SEGMENTS = [
  'x'.repeat(300),
  '%00',
  '%E0%A4%A',
  '..%2F..%2Fetc',
  '%C3%84%C3%96',
  "'%20OR%201=1--",
  'ALICE',
  '%20',
];

type Fixtured = Fixtures & { activationCode: string };

async function makeFixtures(t: TestApp): Promise<Fixtured> {
  const { core } = t;
  const totp = await addUserWithToken(core, 'alice');
  const hotp = await addToken(core, 'alice', { type: 'hotp' });
  const locked = await addToken(core, 'alice');
  const revocable = await addToken(core, 'alice');
  const removable = await addToken(core, 'alice');
  await core.store.db
    .updateTable('tokens')
    .set({ state: 'locked', locked_at: core.clock.now() })
    .where('serial', '=', locked.serial)
    .execute();
  for (const username of ['bob', 'carol', 'dan', 'erin', 'frank', 'grace']) {
    await createUser(core, ADMIN, { username, email: `${username}@example.org` });
  }
  const enroll = (username: string) => startEnrollment(core, ADMIN, { username, sendMail: false });
  const resent = (await enroll('carol')).id;
  const cancelled = (await enroll('erin')).id;
  const rows = [{ username: 'bob' }];
  const bulkRun = (await createBulkRun(core, ADMIN, { rows, source: { kind: 'list' } })).id;
  const activationCode = (await enroll('dan')).link.split('/enroll/')[1]!;
  const alice = (await findUserRow(core, 'alice'))!;
  const sessionCookie = `${portalCookies(core.config).session}=${await startSession(core, alice)}`;
  // A message that could not be delivered, as the delivery loop leaves it.
  const failedMail = 'failed-message';
  const { challenge } = await issueStatusChallenge(core);
  await core.store.db
    .insertInto('mail_outbox')
    .values({
      id: failedMail,
      kind: 'notice',
      to_address: 'bob@example.org',
      to_name: 'Bob',
      subject: 'Hello',
      text_body: 'Hello',
      html_body: '',
      state: 'failed',
      attempts: 8,
      next_attempt_at: 0,
      last_error: '550 mailbox unavailable',
      created_at: core.clock.now(),
      sent_at: null,
      enrollment_id: null,
    })
    .execute();
  return {
    totp,
    hotp,
    locked,
    revocable,
    removable,
    resent,
    cancelled,
    bulkRun,
    activationCode,
    sessionCookie,
    failedMail,
    statusCheck: { challenge, proof: await computeStatusProof(totp.seed, totp.serial, challenge) },
  };
}

function operationsOf(doc: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m.toLowerCase()]).map((method) => {
      const op = item[method.toLowerCase()] as {
        operationId: string;
        security?: unknown[];
        parameters?: { name: string; in: string }[];
        requestBody?: { content: { 'application/json': { schema: { properties?: object } } } };
        responses: Record<string, unknown>;
      };
      const parameters = op.parameters ?? [];
      const body = op.requestBody?.content['application/json'].schema;
      return {
        path,
        method,
        operationId: op.operationId,
        secured: op.security === undefined,
        bodyProperties: body ? Object.keys(body.properties ?? {}) : undefined,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        statuses: Object.keys(op.responses),
        pointer: `/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}`,
      };
    }),
  );
}

/** Whether a concrete URL is one of a document path's template. */
function matches(template: string, url: string): boolean {
  const pattern = template.replace(/\{\w+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(url.split('?')[0]!);
}

interface DocumentedResponse {
  content?: Record<string, unknown>;
  headers?: Record<string, unknown>;
}

function documentedResponse(
  doc: { paths: Record<string, Record<string, Record<string, unknown>>> },
  op: Operation,
  status: string,
): DocumentedResponse | undefined {
  const operation = doc.paths[op.path]![op.method.toLowerCase()] as {
    responses: Record<string, DocumentedResponse>;
  };
  return operation.responses[status];
}

function documentedHeaders(
  doc: { paths: Record<string, Record<string, Record<string, unknown>>> },
  op: Operation,
  status: string,
): string[] {
  return Object.keys(documentedResponse(doc, op, status)?.headers ?? {});
}

function toRequest(op: Operation, probe: Probe): InjectOptions & { key?: string | null } {
  const path =
    probe.url ??
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = probe.params?.[name] ?? 'unknown';
      // Odd segments are sent as written (already encoded, or meant to be raw).
      return /%|'/.test(value) ? value : encodeURIComponent(value);
    });
  const url = probe.query ? `${path}?${probe.query}` : path;
  const headers: Record<string, string> = { ...probe.headers };
  if (probe.contentType) headers['content-type'] = probe.contentType;
  return {
    method: op.method,
    url,
    headers,
    ...(probe.key !== undefined ? { key: probe.key } : {}),
    ...(probe.payload !== undefined
      ? { payload: probe.payload }
      : probe.body !== undefined
        ? { payload: probe.body as object }
        : {}),
  };
}
