/**
 * Two server processes on one PostgreSQL database get the same passcode at the same
 * moment, many times over: exactly one of them accepts each time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOTP, Secret } from 'otpauth';
import { cli } from '../helpers/cli.js';
import { freshPostgresDatabase } from '../helpers/core.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const ROUNDS = 50;

describe('two server processes on one PostgreSQL database', () => {
  let servers: ServerProcess[];
  let key: string;
  const secret = new Secret();

  beforeAll(async () => {
    const env = {
      PFORTE_DATABASE_URL: await freshPostgresDatabase(),
      PFORTE_DATA_DIR: mkdtempSync(join(tmpdir(), 'pforte-two-')),
      PFORTE_RATE_LIMIT_PER_MINUTE: '100000',
    };
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
});
