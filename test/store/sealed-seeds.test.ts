/**
 * Seeds are sealed at rest: a dump of the database alone reveals no seed, in any
 * encoding, and a sealed seed copied onto another token does not open.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideSignIn } from '../../src/signin/decide.js';
import { unsealSeed } from '../../src/tokens/seed.js';
import { DATABASES, makeCore, SERVICE, type TestCore } from '../helpers/core.js';
import { addToken, addUserWithToken, PASSWORD } from '../helpers/tokens.js';

function encodings(seed: Uint8Array): string[] {
  const b = Buffer.from(seed);
  return [
    b.toString('hex'),
    b.toString('hex').toUpperCase(),
    b.toString('base64'),
    b.toString('base64url'),
  ];
}

describe.each(DATABASES)('sealed seeds on %s', (database) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await makeCore(database);
  });
  afterEach(async () => t.close());

  it('leaves no seed in a dump of the database, in any encoding', async () => {
    const tokens = [
      await addUserWithToken(t.core, 'alice'),
      await addUserWithToken(t.core, 'bob', { algorithm: 'SHA512', type: 'hotp' }),
    ];
    const dump = await dumpDatabase(t, database);
    expect(dump).toContain(tokens[0]!.serial); // the dump is real
    for (const token of tokens) {
      for (const text of [...encodings(token.seed), token.base32]) {
        expect(dump).not.toContain(text);
      }
      if (database === 'sqlite') {
        const files = readdirSync(t.dataDir).filter((f) => f.startsWith('pforte.sqlite'));
        for (const file of files) {
          expect(readFileSync(join(t.dataDir, file)).includes(Buffer.from(token.seed))).toBe(false);
        }
      }
    }
    // And yet the tokens work: the seed is there, sealed.
    const decision = await decideSignIn(t.core, SERVICE, {
      username: 'alice',
      password: PASSWORD,
      otp: tokens[0]!.code(),
    });
    expect(decision.result).toBe('accept');
  });

  it('does not open a sealed seed copied onto another token', async () => {
    await addUserWithToken(t.core, 'alice');
    await addToken(t.core, 'alice');
    const rows = await t.core.store.db.selectFrom('tokens').selectAll().execute();
    expect(() => unsealSeed(t.core, rows[1]!.id, rows[0]!.sealed_seed)).toThrow();
    expect(unsealSeed(t.core, rows[0]!.id, rows[0]!.sealed_seed)).toHaveLength(20);
  });
});

describe('the master key file', () => {
  it('is created on first start with mode 0600 and used again on the next', async () => {
    const first = await makeCore('sqlite');
    const keyFile = join(first.dataDir, 'master.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const token = await addUserWithToken(first.core, 'alice');
    await first.core.store.close();
    const { openCore } = await import('../../src/core.js');
    const { loadConfig } = await import('../../src/config/load.js');
    const again = await openCore(loadConfig({ env: first.env }), { clock: first.clock });
    const decision = await decideSignIn(again, SERVICE, {
      username: 'alice',
      password: PASSWORD,
      otp: token.code(),
    });
    expect(decision.result).toBe('accept');
    await again.store.close();
  });
});

async function dumpDatabase(t: TestCore, database: string): Promise<string> {
  const tables = ['users', 'tokens', 'api_keys', 'audit_events', 'audit_chain', 'throttle'];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      t.core.store.db,
    );
    parts.push(JSON.stringify(rows.rows));
  }
  if (database === 'postgres') {
    const raw = await sql<{
      dump: string;
    }>`select string_agg(t::text, '|') as dump from tokens t`.execute(t.core.store.db);
    parts.push(raw.rows[0]?.dump ?? '');
  }
  return parts.join('\n');
}

describe('the master key and the database belong together', () => {
  it('refuses to open a database sealed with another master key, naming both key ids', async () => {
    const first = await makeCore('sqlite');
    await first.core.store.close();
    const { openCore } = await import('../../src/core.js');
    const { loadConfig } = await import('../../src/config/load.js');
    const other = loadConfig({ env: { ...first.env, PFORTE_MASTER_KEY: 'ab'.repeat(32) } });
    await expect(openCore(other)).rejects.toThrow(
      /this database is sealed with master key [0-9a-f]{12}, but this server has [0-9a-f]{12}/,
    );
  });

  it('keeps the SQLite file readable by its owner only', async () => {
    const t = await makeCore('sqlite');
    expect(statSync(join(t.dataDir, 'pforte.sqlite')).mode & 0o777).toBe(0o600);
    await t.close();
  });

  it('refuses a sealed value with a shortened authentication tag', async () => {
    const { createKeyring, sealSecret, unsealSecret } = await import('../../src/crypto/seal.js');
    const { systemRandom } = await import('../../src/clock.js');
    const keyring = createKeyring(Buffer.alloc(32, 7));
    const sealed = sealSecret(keyring, systemRandom, Buffer.from('seed'), 'ctx');
    expect(unsealSecret(keyring, sealed, 'ctx').toString()).toBe('seed');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    parts[3] = body.subarray(0, body.length - 12).toString('base64url');
    expect(() => unsealSecret(keyring, parts.join('.'), 'ctx')).toThrow('damaged');
    expect(() => unsealSecret(keyring, sealed, 'other context')).toThrow();
  });
});
