/**
 * The holder's status check (issue 13, item 7): only the holder of a token's seed learns
 * its state; everyone else gets one and the same refusal, a challenge works once and
 * briefly, each serial has an hourly allowance, and every check is in the audit log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import type { Caller } from '../../src/context.js';
import { confirmActivation, startActivation } from '../../src/enrollment/activation.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import type { PforteError } from '../../src/errors.js';
import { SEED_LENGTH } from '../../src/otp/codes.js';
import {
  computeProof,
  deriveSeed,
  fromBase64url,
  generateKeyPair,
} from '../../src/protocol/activation.js';
import { computeStatusProof } from '../../src/protocol/token-status.js';
import {
  CHALLENGE_LIFETIME_MS,
  CHECKS_PER_HOUR,
  issueStatusChallenge,
  pruneStatusChallenges,
  readHolderStatus,
} from '../../src/tokens/holder-status.js';
import { changeTokenState } from '../../src/tokens/state.js';
import { ADMIN, DATABASES, makeCore, type TestCore } from '../helpers/core.js';
import { addToken, addUserWithToken, type TestToken } from '../helpers/tokens.js';

const PHONE: Caller = { face: 'api', actor: 'authenticator', address: '198.51.100.4' };

describe.each(DATABASES)('the holder status check on %s', (database) => {
  let t: TestCore;
  let token: TestToken;

  beforeEach(async () => {
    t = await makeCore(database);
    token = await addUserWithToken(t.core, 'alice');
  });
  afterEach(() => t.close());

  async function check(serial: string, seed: Uint8Array, challenge?: string) {
    const fresh = challenge ?? (await issueStatusChallenge(t.core)).challenge;
    const proof = await computeStatusProof(seed, serial, fresh);
    return readHolderStatus(t.core, PHONE, { serial, challenge: fresh, proof });
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: PforteError) => ({ code: error.code, status: error.status, message: error.message }),
    );

  const checks = async () =>
    (await listAudit(t.core, { action: 'token.status_check' })).items.map((e) => ({
      outcome: e.outcome,
      reason: e.reason,
      serial: e.serial,
    }));

  it('answers the holder of the seed with the state, HOTP and TOTP alike', async () => {
    expect(await check(token.serial, token.seed)).toEqual({
      state: 'active',
      replaced: false,
      changedAt: null,
    });
    const hotp = await addToken(t.core, 'alice', { type: 'hotp' });
    expect((await check(hotp.serial, hotp.seed)).state).toBe('active');
    expect(await checks()).toEqual([
      { outcome: 'success', reason: '', serial: hotp.serial },
      { outcome: 'success', reason: '', serial: token.serial },
    ]);
  });

  it('refuses a wrong proof and an unknown serial with the same answer', async () => {
    const other = await addUserWithToken(t.core, 'bob');
    const wrong = await refusal(check(token.serial, other.seed));
    const unknown = await refusal(check('PF0000000000', token.seed));
    expect(wrong).toEqual({
      code: 'ERR_TOKEN_STATUS_REFUSED',
      status: 403,
      message: expect.any(String),
    });
    expect(unknown).toEqual(wrong);
    const { challenge } = await issueStatusChallenge(t.core);
    const junk = await refusal(
      readHolderStatus(t.core, PHONE, { serial: token.serial, challenge, proof: '!!' }),
    );
    expect(junk).toEqual(wrong);
    expect(await checks()).toEqual([
      { outcome: 'failure', reason: 'wrong_proof', serial: token.serial },
      { outcome: 'failure', reason: 'unknown_serial', serial: 'PF0000000000' },
      { outcome: 'failure', reason: 'wrong_proof', serial: token.serial },
    ]);
  });

  it('takes each challenge once: a replayed proof is refused', async () => {
    const { challenge } = await issueStatusChallenge(t.core);
    const proof = await computeStatusProof(token.seed, token.serial, challenge);
    const request = { serial: token.serial, challenge, proof };
    const [first, second] = await Promise.all([
      refusal(readHolderStatus(t.core, PHONE, request)),
      refusal(readHolderStatus(t.core, PHONE, request)),
    ]);
    expect([first, second].filter((r) => r === 'answered')).toHaveLength(1);
    expect(await refusal(readHolderStatus(t.core, PHONE, request))).toMatchObject({
      code: 'ERR_TOKEN_STATUS_REFUSED',
    });
    expect((await checks()).filter((c) => c.reason === 'challenge_invalid')).toHaveLength(2);
  });

  it('refuses a challenge after its two minutes, and prunes it', async () => {
    const { challenge, expiresAt } = await issueStatusChallenge(t.core);
    expect(Date.parse(expiresAt)).toBe(t.clock.now() + CHALLENGE_LIFETIME_MS);
    t.clock.advance(CHALLENGE_LIFETIME_MS);
    expect(await refusal(check(token.serial, token.seed, challenge))).toMatchObject({
      code: 'ERR_TOKEN_STATUS_REFUSED',
    });
    const old = await issueStatusChallenge(t.core);
    t.clock.advance(CHALLENGE_LIFETIME_MS);
    await pruneStatusChallenges(t.core);
    const left = await t.core.store.db.selectFrom('token_status_challenges').select('id').execute();
    expect(left.map((r) => r.id)).not.toContain(old.challenge);
  });

  it(`allows ${CHECKS_PER_HOUR} checks per serial and hour, known or not`, async () => {
    for (let i = 0; i < CHECKS_PER_HOUR; i++) await check(token.serial, token.seed);
    await expect(check(token.serial, token.seed)).rejects.toMatchObject({
      code: 'ERR_TOO_MANY_ATTEMPTS',
      retryAfter: 3600,
    });
    for (let i = 0; i < CHECKS_PER_HOUR; i++) {
      await refusal(check('PF1111111111', token.seed));
    }
    await expect(check('PF1111111111', token.seed)).rejects.toMatchObject({
      code: 'ERR_TOO_MANY_ATTEMPTS',
    });
    t.clock.advance(3_600_000);
    expect((await check(token.serial, token.seed)).state).toBe('active');
    expect((await checks()).filter((c) => c.reason === 'too_many_checks')).toHaveLength(2);
  });

  it('tells the old phone its token was replaced by a new enrollment, and when', async () => {
    const replacedAt = t.clock.now() + 60_000;
    t.clock.ms = replacedAt;
    await enrollNewPhone('alice');
    expect(await check(token.serial, token.seed)).toEqual({
      state: 'revoked',
      replaced: true,
      changedAt: new Date(replacedAt).toISOString(),
    });
    // The seed is gone from the server; the status key stayed.
    const row = await t.core.store.db
      .selectFrom('tokens')
      .select(['sealed_seed', 'status_key'])
      .where('serial', '=', token.serial)
      .executeTakeFirstOrThrow();
    expect(row.sealed_seed).toBe('');
    expect(row.status_key).not.toBe('');
  });

  it('says revoked, not replaced, when an administrator revoked it', async () => {
    await changeTokenState(t.core, ADMIN, token.serial, 'revoke');
    expect(await check(token.serial, token.seed)).toMatchObject({
      state: 'revoked',
      replaced: false,
      changedAt: new Date(t.clock.now()).toISOString(),
    });
  });

  it('gives a token made before status keys its key at the first check', async () => {
    await t.core.store.db.updateTable('tokens').set({ status_key: '' }).execute();
    expect((await check(token.serial, token.seed)).state).toBe('active');
    await changeTokenState(t.core, ADMIN, token.serial, 'revoke');
    expect((await check(token.serial, token.seed)).state).toBe('revoked');
  });

  /** A second phone activates a new enrollment for `username`: the old token is replaced. */
  async function enrollNewPhone(username: string): Promise<void> {
    const code = (await startEnrollment(t.core, ADMIN, { username, sendMail: false })).link.split(
      '/enroll/',
    )[1]!;
    const keys = await generateKeyPair();
    const offer = await startActivation(t.core, PHONE, { code, publicKey: keys.publicKey });
    const seed = await deriveSeed({
      privateKey: keys.privateKey,
      peerPublicKey: offer.publicKey,
      salt: fromBase64url(offer.salt),
      serial: offer.token.serial,
      appPublicKey: keys.publicKey,
      serverPublicKey: offer.publicKey,
      length: SEED_LENGTH.SHA1,
    });
    await confirmActivation(
      t.core,
      PHONE,
      offer.activationId,
      await computeProof(seed, offer.activationId),
    );
  }
});
