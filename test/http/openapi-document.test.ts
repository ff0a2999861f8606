/**
 * The OpenAPI document describes the server: Redocly's recommended lint and a client
 * generator (openapi-typescript, its output type-checked) accept it without errors,
 * and it says what the server does — one error component with the codes of
 * src/errors.ts, an operationId and a description for every answer, the server's own
 * rules in the request schemas, and security only where a key is asked for.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { PASSCODE_PATTERN } from '../../src/otp/codes.js';
import {
  EMAIL_PATTERN,
  normalizeUsername,
  PASSWORD_MAX,
  USERNAME_PATTERN,
} from '../../src/users/fields.js';
import { makeApp, type TestApp } from '../helpers/app.js';

const run = promisify(execFile);
const BIN = new URL('../../node_modules/.bin/', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
// No usage report sent from a test run, no update notice in its output.
const QUIET_REDOCLY = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  parameters?: { name: string; in: string; schema: Schema }[];
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}
type Schema = Record<string, unknown> & { properties?: Record<string, Schema> };
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
  security: unknown[];
}

function operationsOf(doc: Document): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m): [string, string, Operation] => [path, m, item[m]!]),
  );
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let doc: Document;

  beforeAll(async () => {
    // A public address as an operator sets it (Redocly warns of localhost servers).
    t = await makeApp('sqlite', { PFORTE_PUBLIC_URL: 'https://login.pforte.test' });
    const answer = await t.call({ method: 'GET', url: '/api/v1/openapi.json', key: null });
    expect(answer.statusCode).toBe(200);
    doc = answer.json();
    dir = mkdtempSync(join(tmpdir(), 'pforte-openapi-'));
    file = join(dir, 'openapi.json');
    writeFileSync(file, answer.body);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes Redocly's recommended lint without errors, with only the known warnings", async () => {
    const { stdout } = await run(
      join(BIN, 'redocly'),
      ['lint', '--extends=recommended', '--format=json', file],
      { cwd: ROOT, env: QUIET_REDOCLY },
    ).catch((error: { stdout: string }) => error);
    const problems = (JSON.parse(stdout) as { problems: Problem[] }).problems.map(describeProblem);
    expect(problems.filter((p) => p.startsWith('error'))).toEqual([]);
    // Both are true of the server by design, so the rules stay on for every other operation.
    expect(problems).toEqual([
      // Bulk runs live under /enrollments/bulk-runs, beside the enrollments they start: an
      // enrollment's id (EN and 10 characters) is never "bulk-runs", and the router takes
      // the static segment first.
      'warn no-ambiguous-paths at #/paths/~1api~1v1~1enrollments~1bulk-runs~1{id}',
      // A load balancer's questions have no wrong form: an answer, or not ready.
      'warn operation-4xx-response at #/paths/~1healthz/get/responses',
      'warn operation-4xx-response at #/paths/~1readyz/get/responses',
      // A browser sent to /auth/signin is always redirected to the sign-in page.
      'warn operation-4xx-response at #/paths/~1auth~1signin/get/responses',
      'warn operation-2xx-response at #/paths/~1auth~1signin/get/responses',
    ]);
  });

  it('generates TypeScript types (openapi-typescript) that compile', async () => {
    const types = join(dir, 'pforte-api.d.ts');
    await run(join(BIN, 'openapi-typescript'), [file, '-o', types], { cwd: dir });
    const generated = readFileSync(types, 'utf8');
    for (const id of ['validateSignIn', 'listUsers', 'resyncToken', 'checkSession']) {
      expect(generated).toContain(`${id}: {`);
    }
    await run(join(BIN, 'tsc'), ['--noEmit', '--strict', '--skipLibCheck', types], { cwd: dir });
  });

  it('gives every operation an operationId (unique), tags and a summary', () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(25);
    const ids = ops.map(([, , op]) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [path, method, op] of ops) {
      expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
      expect(op.summary, `${method} ${path}`).toBeTruthy();
    }
  });

  it('describes every answer by what it means, not "Default Response"', () => {
    for (const [path, method, op] of operationsOf(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${method} ${path} ${status}`).not.toBe('Default Response');
      }
    }
  });

  it('refers every error answer to the one Error component, whose code is the list of docs/errors.md', () => {
    const error = doc.components.schemas.Error!;
    const inner = error.properties!.error!;
    expect(inner.properties!.code!.enum).toEqual(Object.keys(ERROR_CODES));
    for (const [path, method, op] of operationsOf(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        // Reverse proxies read only the status of /auth/check: its 401 has no body.
        if (Number(status) < 400 || (path === '/auth/check' && status === '401')) continue;
        // /readyz answers its checks either way: the prober reads the status, a person which check failed.
        if (path === '/readyz' && status === '503') continue;
        expect(
          response.content?.['application/json']?.schema,
          `${method} ${path} ${status}`,
        ).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
    expect(JSON.stringify(doc.paths)).not.toContain('"error":{');
  });

  it('names, for each error answer, the codes that come with it, each with that status', () => {
    const wrong: string[] = [];
    for (const [path, method, op] of operationsOf(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!response.content || Number(status) < 400) continue;
        if (path === '/readyz' && status === '503') continue;
        const codes = response.description.match(/ERR_[A-Z_]+/g) ?? [];
        if (codes.length === 0) wrong.push(`${method} ${path} ${status} names no code`);
        for (const code of codes) {
          const real = (ERROR_CODES as Record<string, number>)[code];
          if (real !== Number(status))
            wrong.push(`${method} ${path} ${status}: ${code} is ${real}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('asks for the API key exactly where the server does', () => {
    expect(doc.security).toEqual([{ apiKey: [] }]);
    for (const [path, method, op] of operationsOf(doc)) {
      const open =
        path.startsWith('/api/v1/activations') ||
        path.startsWith('/api/v1/authenticator/') ||
        path.startsWith('/auth/') ||
        path === '/healthz' ||
        path === '/readyz';
      expect(op.security, `${method} ${path}`).toEqual(open ? [] : undefined);
    }
  });

  it('documents forward authentication and health, and leaves the pages for people out', () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/auth/check', '/auth/signin', '/healthz', '/readyz']),
    );
    expect(paths.filter((p) => !p.startsWith('/api/v1/') && !p.startsWith('/auth/'))).toEqual([
      '/healthz',
      '/readyz',
    ]);
  });

  it("publishes the server's own rules for usernames, e-mail addresses, passcodes, passwords and addresses", () => {
    const body = (path: string, method = 'post') =>
      doc.paths[path]![method]!.requestBody!.content['application/json']!.schema.properties!;
    const validate = body('/api/v1/validate');
    expect(validate.username).toMatchObject({ pattern: USERNAME_PATTERN, maxLength: 64 });
    expect(validate.otp).toMatchObject({ pattern: PASSCODE_PATTERN });
    expect(validate.password).toMatchObject({ maxLength: PASSWORD_MAX });
    expect(validate.clientAddress).toMatchObject({
      anyOf: [
        expect.objectContaining({ format: 'ipv4' }),
        expect.objectContaining({ format: 'ipv6' }),
      ],
    });
    const user = body('/api/v1/users');
    expect(user.email).toMatchObject({ pattern: EMAIL_PATTERN, maxLength: 254 });
    expect(user.password).toMatchObject({ minLength: 8, maxLength: PASSWORD_MAX });
    expect(body('/api/v1/tokens/{serial}/resync').code1).toMatchObject({
      pattern: PASSCODE_PATTERN,
    });
  });
});

describe('the request schemas and the core apply one rule', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite');
  });
  afterAll(() => t.close());

  it.each([
    ['fe80::1%eth0', 200],
    ['::ffff:192.0.2.1', 200],
    ['192.0.2.1', 200],
    ['192.0.2.01', 400],
    ['[::1]', 400],
  ])('a client address %s is what node:net says it is (%i)', async (clientAddress, status) => {
    const answer = await t.call({
      method: 'POST',
      url: '/api/v1/validate',
      key: t.validateKey,
      payload: { username: 'nobody', otp: '123456', clientAddress },
    });
    expect(answer.statusCode).toBe(status);
  });

  it('refuses a username with a letter that only lower-cases to ASCII (the Kelvin sign)', async () => {
    const answer = await t.call({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: '\u212Aate', email: 'kate@example.org' },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.code).toBe('ERR_VALIDATION');
    expect(() => normalizeUsername('\u212Aate')).toThrow(/username/);
    expect(normalizeUsername('Kate')).toBe('kate');
  });
});

interface Problem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer?: string }[];
}

function describeProblem(problem: Problem): string {
  return `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}`;
}
