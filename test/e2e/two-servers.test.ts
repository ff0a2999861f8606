/**
 * Two server processes on one PostgreSQL database get the same passcode at the same
 * moment, many times over: exactly one of them accepts each time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOTP, Secret } from 'otpauth';
import { cli } from '../helpers/cli.js';
import { activate, type Send } from '../helpers/enrollment-client.js';
import { freshPostgresDatabase } from '../helpers/core.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const ROUNDS = 50;

describe('two server processes on one PostgreSQL database', () => {
  let servers: ServerProcess[];
  let key: string;
  let env: Record<string, string>;
  const secret = new Secret();

  beforeAll(async () => {
    env = {
      PFORTE_DATABASE_URL: await freshPostgresDatabase(),
      PFORTE_DATA_DIR: mkdtempSync(join(tmpdir(), 'pforte-two-')),
      PFORTE_RATE_LIMIT_PER_MINUTE: '100000',
    };
    await cli(env, ['migrate']);
    await cli(env, ['user', 'add', 'alice', '--email', 'alice@example.org']);
    await cli(env, ['token', 'add', 'alice', '--secret', secret.base32, '--type', 'hotp']);
    key = (await cli(env, ['apikey', 'create', 'race', '--scope', 'validate'])).stdout.trim();
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it(`accepts each code exactly once across both (${ROUNDS} rounds)`, async () => {
    const hotp = new HOTP({ secret });
    const accepted: number[] = [];
    for (let counter = 0; counter < ROUNDS; counter++) {
      const body = JSON.stringify({ username: 'alice', otp: hotp.generate({ counter }) });
      const answers = await Promise.all(
        [...servers, ...servers].map(async (server) => {
          const response = await fetch(`${server.url}/api/v1/validate`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body,
          });
          return ((await response.json()) as { result: string }).result;
        }),
      );
      accepted.push(answers.filter((a) => a === 'accept').length);
    }
    expect(accepted).toEqual(Array(ROUNDS).fill(1));
  });

  it('lets exactly one of two phones confirming on different servers complete an enrollment', async () => {
    for (let round = 0; round < 5; round++) {
      const started = await cli(env, ['enroll', 'alice', '--no-mail', '--json']);
      const code = JSON.parse(started.stdout).link.split('/enroll/')[1];
      const via =
        (server: ServerProcess): Send =>
        async (method, path, body) => {
          const response = await fetch(`${server.url}${path}`, {
            method,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return { status: response.status, body: await response.json() };
        };
      const phones = await Promise.all(servers.map((server) => activate(via(server), code)));
      const results = await Promise.all(phones.map((phone) => phone.confirm!()));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const tokens = JSON.parse(
        (await cli(env, ['token', 'list', '--user', 'alice', '--json'])).stdout,
      );
      const active = tokens.filter((t: { state: string }) => t.state === 'active');
      expect(active.map((t: { serial: string }) => t.serial)).toEqual([
        results.find((r) => r.status === 200)!.body.serial,
      ]);
      expect(tokens.some((t: { state: string }) => t.state === 'pending')).toBe(false);
    }
  });
});
