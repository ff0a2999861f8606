/**
 * The authenticator's status check over REST: the holder's answer with the server clock's
 * `Date`; hostile input gets a clear 4xx, never a 500, and changes nothing; the proof
 * never reaches the log; each client address has a per-minute allowance.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeStatusProof } from '../../src/protocol/token-status.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { snapshotDatabase } from '../helpers/snapshot.js';
import { addUserWithToken, type TestToken } from '../helpers/tokens.js';

const MEGABYTE = 'x'.repeat(1024 * 1024);

describe('the token status check over REST', () => {
  let t: TestApp;
  let token: TestToken;
  const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.call({
      method: 'POST',
      url: `/api/v1/authenticator/${url}`,
      key: null,
      headers,
      ...(payload === undefined
        ? {}
        : typeof payload === 'string'
          ? { payload, headers: { 'content-type': 'application/json', ...headers } }
          : { payload: payload as object }),
    });
  const challenge = async () => (await post('status-challenge')).json().challenge as string;

  beforeEach(async () => {
    t = await makeApp('sqlite', { PFORTE_ENROLLMENT_ACTIVATIONS_PER_MINUTE: '20' });
    token = await addUserWithToken(t.core, 'alice');
  });
  afterEach(() => t.close());

  it("answers the seed's holder, dated by the server's clock", async () => {
    t.clock.advance(5 * 60_000);
    const issued = await post('status-challenge');
    expect(issued.statusCode).toBe(200);
    expect(Date.parse(issued.headers.date as string)).toBe(Math.floor(t.clock.now() / 1000) * 1000);
    const { challenge } = issued.json();
    const proof = await computeStatusProof(token.seed, token.serial, challenge);
    const answer = await post('status', { serial: token.serial, challenge, proof });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ state: 'active', replaced: false, changedAt: null });
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it.each<[string, unknown, number, string]>([
    ['broken JSON', '{"serial":', 400, 'ERR_BAD_JSON'],
    ['an empty body', '', 400, 'ERR_BAD_JSON'],
    ['a JSON array', '[]', 400, 'ERR_VALIDATION'],
    [
      'a number for the serial',
      { serial: 12, challenge: 'a'.repeat(43), proof: 'b'.repeat(43) },
      400,
      'ERR_VALIDATION',
    ],
    [
      'an object for the proof',
      { serial: 'PF12', challenge: 'a'.repeat(43), proof: { $gt: '' } },
      400,
      'ERR_VALIDATION',
    ],
    [
      'an unknown field',
      { serial: 'PF12', challenge: 'a'.repeat(43), proof: 'b'.repeat(43), admin: true },
      400,
      'ERR_VALIDATION',
    ],
    [
      'a serial with SQL',
      { serial: "PF' OR 1=1--", challenge: 'a'.repeat(43), proof: 'b'.repeat(43) },
      400,
      'ERR_VALIDATION',
    ],
    [
      'a long proof',
      { serial: 'PF12', challenge: 'a'.repeat(43), proof: 'x'.repeat(5000) },
      400,
      'ERR_VALIDATION',
    ],
    [
      'a body over the limit',
      JSON.stringify({ proof: MEGABYTE.repeat(2) }),
      413,
      'ERR_BODY_TOO_LARGE',
    ],
  ])('refuses %s clearly and changes nothing', async (_name, body, status, code) => {
    const before = await snapshotDatabase(t.core);
    const answer = await post('status', body);
    expect({ status: answer.statusCode, code: answer.json().error.code }).toEqual({ status, code });
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('refuses a form or text body with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await post('status', 'serial=PF12', { 'content-type': type });
      expect(answer.statusCode).toBe(415);
    }
  });

  it('refuses a made-up challenge and a stranger’s proof alike, and logs no proof', async () => {
    const logged: string[] = [];
    const { log } = t.core;
    const spy = (line: unknown) => void logged.push(JSON.stringify(line));
    Object.assign(log, { info: spy, warn: spy, error: spy });
    const other = await addUserWithToken(t.core, 'bob');
    const fresh = await challenge();
    const proof = await computeStatusProof(other.seed, token.serial, fresh);
    const stranger = await post('status', { serial: token.serial, challenge: fresh, proof });
    const madeUp = await post('status', { serial: token.serial, challenge: 'A'.repeat(43), proof });
    expect(stranger.statusCode).toBe(403);
    expect(madeUp.body).toBe(stranger.body);
    expect(logged.join('\n')).not.toContain(proof);
  });

  it('gives each client address its allowance per minute', async () => {
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push((await post('status-challenge')).statusCode);
    expect(answers.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(answers[20]).toBe(429);
    const fromElsewhere = await t.call({
      method: 'POST',
      url: '/api/v1/authenticator/status-challenge',
      key: null,
      remoteAddress: '198.51.100.9',
    });
    expect(fromElsewhere.statusCode).toBe(200);
  });
});
