/**
 * Rotating the master key while a server signs people in (docs/key-rotation.md): the
 * server (its own core, as a separate process would have) keeps accepting valid codes
 * while `pforte key rotate` (another core on the same database and data folder)
 * re-seals in batches; afterwards nothing is under the old key, the audit chain
 * verifies, and a server holding only the new key works.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAuditChain } from '../../src/audit/check.js';
import { loadConfig } from '../../src/config/load.js';
import { closeCore, openCore } from '../../src/core.js';
import type { Core } from '../../src/context.js';
import { refreshKeyring } from '../../src/crypto/key-ring.js';
import { listKeys, retireKey, rotateMasterKey } from '../../src/crypto/rotation.js';
import { decideSignIn } from '../../src/signin/decide.js';
import { issueTemporaryAccess } from '../../src/temporary/temporary-access.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { ADMIN, DATABASES, makeCore, SERVICE } from '../helpers/core.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

const KEY_A = 'a'.repeat(64);
const BIN = fileURLToPath(new URL('../../bin/pforte.js', import.meta.url));

/** The built `pforte` in a process of its own, as an operator runs it beside the server. */
function runPforte(env: Record<string, string>, args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const run = {
    exited: false,
    done: once(child, 'exit').then(([code]) => {
      run.exited = true;
      return { code: code as number | null, stdout, stderr };
    }),
  };
  return run;
}
const KEY_B = 'b'.repeat(64);

describe.each(DATABASES)('master key rotation on %s', (database) => {
  let t: TestApp;
  const opened: Core[] = [];
  /** Another process on the same database and data folder: the CLI, or a second server. */
  const openAnother = async (env: Record<string, string> = {}) => {
    const core = await openCore(loadConfig({ env: { ...t.env, ...env } }), { clock: t.clock });
    opened.push(core);
    return core;
  };

  beforeEach(async () => {
    t = await makeApp(database);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((core) => closeCore(core)));
    await t.close();
  });

  const signIn = (core: Core, username: string, token: TestToken) =>
    decideSignIn(core, SERVICE, { username, password: PASSWORD, otp: token.code() });
  const validate = (username: string, token: TestToken) =>
    t.call({
      method: 'POST',
      url: '/api/v1/validate',
      payload: { username, password: PASSWORD, otp: token.code() },
      key: t.validateKey,
    });

  async function addUsers(count: number): Promise<[string, TestToken][]> {
    const users: [string, TestToken][] = [];
    for (let i = 0; i < count; i += 1) {
      const name = `user${String(i).padStart(2, '0')}`;
      users.push([name, await addUserWithToken(t.core, name)]);
    }
    return users;
  }

  it('re-seals under sign-in load: every token validates, nothing stays under the old key, and the old key retires', async () => {
    const users = await addUsers(24);
    const old = t.core.keyring.currentId;

    // `pforte key rotate` in its own process, in batches of 5, while the server signs
    // everyone in, round after round (half through the core, half through REST).
    const rotation = runPforte(t.env, ['key', 'rotate', '--batch', '5', '--json']);
    let rounds = 0;
    while (!rotation.exited || rounds < 2) {
      t.clock.advance(30_000);
      const answers = await Promise.all(
        users.map(([name, token], i) =>
          i % 2 === 0
            ? signIn(t.core, name, token).then((d) => `${name}: ${d.result} ${d.reason}`)
            : validate(name, token).then(
                (r) => `${name}: ${(r.json() as { result: string }).result} ok`,
              ),
        ),
      );
      expect(answers).toEqual(users.map(([name]) => `${name}: accept ok`));
      rounds += 1;
    }
    const { code, stdout } = await rotation.done;
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { from: string; to: string; resealed: number };
    expect(report).toMatchObject({ from: old, created: true, remaining: 0, failed: 0 });
    expect(report.resealed).toBe(24 * 2 + 1); // seed and status key each, and the chain key
    expect(existsSync(join(t.dataDir, `master-${old}.key`))).toBe(true);

    // The running server learns the switch and seals new tokens under the new key.
    await refreshKeyring(t.core);
    expect(t.core.keyring.currentId).toBe(report.to);
    const rotator = await openAnother();
    const keys = await listKeys(rotator);
    expect(keys.find((k) => k.id === old)).toMatchObject({
      current: false,
      tokenSecrets: 0,
      auditChain: 0,
      temporaryCodes: 0,
    });
    expect(keys.find((k) => k.id === report.to)).toMatchObject({
      current: true,
      source: 'master.key',
      tokenSecrets: 48,
      auditChain: 1,
    });
    expect(await retireKey(rotator, ADMIN, old)).toEqual({
      removedFile: true,
      inEnvironment: false,
    });
    expect(existsSync(join(t.dataDir, `master-${old}.key`))).toBe(false);
    expect((await checkAuditChain(rotator, ADMIN)).intact).toBe(true);

    // A server started now holds only the new key, and it works.
    const fresh = await openAnother();
    expect([...fresh.keyring.keys.keys()]).toEqual([report.to]);
    t.clock.advance(30_000);
    for (const [name, token] of users) {
      expect((await signIn(fresh, name, token)).result).toBe('accept');
    }
    expect((await checkAuditChain(fresh, ADMIN)).intact).toBe(true);
  });

  it('refuses to retire a key while a value is still sealed under it, and says how many', async () => {
    await addUsers(2);
    const old = t.core.keyring.currentId;
    const rotator = await openAnother();
    const report = await rotateMasterKey(rotator, ADMIN, { settleMs: 0 });
    // A server that has not yet learned of the switch seals under the old key.
    const late = await addUserWithToken(t.core, 'late');
    const refused = await cli(t.env, ['key', 'retire', old]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`master key ${old} still seals 2 values`);
    expect(existsSync(join(t.dataDir, `master-${old}.key`))).toBe(true);
    expect((await cli(t.env, ['key', 'retire', report.to])).stderr).toContain('is current');

    // Running the rotation again sweeps it up; then the key retires.
    const list = JSON.parse((await cli(t.env, ['key', 'list', '--json'])).stdout) as {
      id: string;
      tokenSecrets: number;
    }[];
    expect(list.find((k) => k.id === old)?.tokenSecrets).toBe(2);
    const again = await cli(t.env, ['key', 'rotate', '--to', report.to]);
    expect(again.stdout).toContain(`master key ${report.to} is current; 2 values re-sealed`);
    expect((await cli(t.env, ['key', 'retire', old])).code).toBe(0);
    expect((await signIn(t.core, 'late', late)).result).toBe('accept');
  });

  it('keeps a temporary code issued before the rotation working, and its key until the code ends', async () => {
    await addUsers(1);
    const old = t.core.keyring.currentId;
    const issued = await issueTemporaryAccess(t.core, ADMIN, 'user00', { hours: 2, uses: 2 });
    const rotator = await openAnother();
    await rotateMasterKey(rotator, ADMIN, { settleMs: 0 });
    await refreshKeyring(t.core);
    const decision = await decideSignIn(t.core, SERVICE, {
      username: 'user00',
      password: PASSWORD,
      otp: issued.code,
    });
    expect(decision.result).toBe('accept');
    expect((await listKeys(rotator)).find((k) => k.id === old)?.temporaryCodes).toBe(1);
    await expect(retireKey(rotator, ADMIN, old)).rejects.toThrow('1 live temporary codes');
    t.clock.advance(2 * 3_600_000);
    await expect(retireKey(rotator, ADMIN, old)).resolves.toMatchObject({ removedFile: true });
  });

  it('fails only the sign-in whose seed is under a key the server lacks, and a server without the current key does not start', async () => {
    // PFORTE_MASTER_KEY deployments: the rotating process has the new key, the old as previous.
    const server = await makeCore(database, { PFORTE_MASTER_KEY: KEY_A });
    try {
      const alice = await addUserWithToken(server.core, 'alice');
      const env = { ...server.env, PFORTE_MASTER_KEY: KEY_B, PFORTE_MASTER_KEYS_PREVIOUS: KEY_A };
      const rotator = await openCore(loadConfig({ env }), { clock: server.clock });
      opened.push(rotator);
      const report = await rotateMasterKey(rotator, ADMIN, { settleMs: 0 });
      expect(report).toMatchObject({ from: server.core.keyring.currentId, created: false });
      expect(report.to).toBe(rotator.keyring.currentId);

      const decision = await signIn(server.core, 'alice', alice);
      expect(decision).toMatchObject({ result: 'reject', reason: 'seal_error' });
      await expect(openCore(loadConfig({ env: server.env }))).rejects.toThrow(
        `this database is sealed with master key ${report.to}`,
      );
      expect((await signIn(rotator, 'alice', alice)).result).toBe('accept');
    } finally {
      await server.close();
    }
  });
});
