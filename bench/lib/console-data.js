// @ts-check
// The console bench's data: many users and audit events written straight into the
// server's SQLite file before it starts, in batched transactions (through the API,
// 50,000 users and a million events would take longer than the whole bench). The rows
// are what the server writes: users with their search keys, and audit events sealed
// into the hash chain with the server's own hashEvent (dist/), so the server starts
// with nothing left to seal and `pforte audit verify` would find the chain intact.
import { hkdfSync, randomUUID } from 'node:crypto';
import { Buffer } from 'node:buffer';
import path from 'node:path';
import Database from 'better-sqlite3';
import { hashEvent } from '../../dist/audit/chain.js';

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hannes', 'Ida', 'Jonas'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker'];
/** What the log holds most: sign-ins, with the administrative actions between them. */
const ACTIONS = ['signin', 'signin', 'signin', 'signin', 'signin', 'signin', 'enrollment.start'];
const BATCH = 10_000;

/** The user `i` of the bench: a username, a name and an address. @param {number} i */
export function benchUser(i) {
  const first = /** @type {string} */ (FIRST[i % FIRST.length]);
  const last = /** @type {string} */ (LAST[Math.floor(i / FIRST.length) % LAST.length]);
  return {
    username: `user-${String(i).padStart(6, '0')}`,
    name: `${first} ${last}`,
    email: `${first}.${last}.${i}@bench.example.org`.toLowerCase(),
  };
}

/**
 * Adds `users` users and `events` audit events (sign-ins mostly) to the data folder's
 * database, which the CLI has made; returns how long it took.
 * @param {string} dataDir
 * @param {Buffer} masterKey the key the server runs with (PFORTE_MASTER_KEY)
 * @param {{ users: number, events: number, now: number }} counts
 */
export function seedConsoleData(dataDir, masterKey, { users, events, now }) {
  const db = new Database(path.join(dataDir, 'pforte.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    insertUsers(db, users, now);
    insertEvents(db, masterKey, users, events, now);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

/** @param {Database.Database} db @param {number} count @param {number} now */
function insertUsers(db, count, now) {
  const insert = db.prepare(
    `insert into users (id, username, email, display_name, lang, password_hash, directory,
       disabled, created_at, updated_at, role, last_signin_at, email_key, name_key)
     values (?, ?, ?, ?, 'de', null, null, 0, ?, ?, null, ?, ?, ?)`,
  );
  const batch = db.transaction((/** @type {number} */ from) => {
    for (let i = from; i < Math.min(from + BATCH, count); i++) {
      const { username, name, email } = benchUser(i);
      // Two in three have signed in, at some time in the last 30 days.
      const lastSignIn = i % 3 === 0 ? null : now - ((i * 7919) % (30 * 86_400_000));
      insert.run(
        randomUUID(),
        username,
        email,
        name,
        now,
        now,
        lastSignIn,
        email,
        name.toLowerCase(),
      );
    }
  });
  for (let from = 0; from < count; from += BATCH) batch(from);
}

/**
 * Events one a second up to `now`, continuing the chain the CLI began.
 * @param {Database.Database} db
 * @param {Buffer} masterKey
 * @param {number} users
 * @param {number} count
 * @param {number} now
 */
function insertEvents(db, masterKey, users, count, now) {
  // A fresh database's chain key is the one derived from its master key (src/audit/chain.ts).
  const chainKey = Buffer.from(
    hkdfSync('sha256', masterKey, Buffer.alloc(0), 'pforte/audit-chain/v1', 32),
  );
  const head = /** @type {{ last_seq: number, last_hash: string }} */ (
    db.prepare('select last_seq, last_hash from audit_chain where id = 1').get()
  );
  const lastId = /** @type {{ id: number | null }} */ (
    db.prepare('select max(id) as id from audit_events').get()
  ).id;
  let { last_seq: seq, last_hash: prevHash } = head;
  let id = lastId ?? 0;
  const insert = db.prepare(
    `insert into audit_events (id, at, actor, face, action, outcome, reason, username, serial,
       address, detail, seq, prev_hash, hash)
     values (@id, @at, @actor, @face, @action, @outcome, @reason, @username, @serial,
       @address, @detail, @seq, @prev_hash, @hash)`,
  );
  const batch = db.transaction((/** @type {number} */ from) => {
    for (let i = from; i < Math.min(from + BATCH, count); i++) {
      const action = /** @type {string} */ (ACTIONS[i % ACTIONS.length]);
      const accepted = i % 10 !== 0;
      const row = {
        id: ++id,
        at: now - (count - i) * 1000,
        actor: action === 'signin' ? 'portal' : 'cli:bench',
        face: action === 'signin' ? 'portal' : 'cli',
        action,
        outcome: action === 'signin' ? (accepted ? 'accept' : 'reject') : 'success',
        reason: action === 'signin' ? (accepted ? 'ok' : 'wrong_passcode') : '',
        username: benchUser((i * 31) % Math.max(users, 1)).username,
        serial: '',
        address: `192.0.2.${i % 250}`,
        detail: action === 'signin' ? '{"otpOnly":false}' : '{}',
      };
      seq += 1;
      const hash = hashEvent(chainKey, /** @type {any} */ (row), seq, prevHash);
      insert.run({ ...row, seq, prev_hash: prevHash, hash });
      prevHash = hash;
    }
  });
  for (let from = 0; from < count; from += BATCH) batch(from);
  db.prepare('update audit_chain set last_seq = ?, last_hash = ? where id = 1').run(seq, prevHash);
}
