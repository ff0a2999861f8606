/**
 * The migration set, one for both databases. Migrations are code in this file (not
 * files found at run time), so the built server carries them wherever it goes.
 */
import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export function migrations(dialect: Dialect): Record<string, Migration> {
  const autoId = dialect === 'postgres' ? 'bigserial' : 'integer';
  const big = 'bigint';
  return {
    '001-core': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('updated_at', big, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('serial', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'text', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('algorithm', 'text', (c) => c.notNull())
          .addColumn('digits', 'integer', (c) => c.notNull())
          .addColumn('period', 'integer', (c) => c.notNull())
          .addColumn('counter', big, (c) => c.notNull().defaultTo(0))
          .addColumn('last_step', big)
          .addColumn('sealed_seed', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('fail_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_at', big)
          .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('updated_at', big, (c) => c.notNull())
          .addColumn('last_used_at', big)
          .execute();
        await db.schema.createIndex('tokens_user').on('tokens').column('user_id').execute();

        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('revoked_at', big)
          .addColumn('last_used_at', big)
          .execute();

        await db.schema
          .createTable('audit_events')
          .addColumn('id', autoId, (c) =>
            dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('at', big, (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('face', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('serial', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('seq', big, (c) => c.unique())
          .addColumn('prev_hash', 'text')
          .addColumn('hash', 'text')
          .execute();
        await db.schema.createIndex('audit_at').on('audit_events').column('at').execute();
        await db.schema
          .createIndex('audit_username')
          .on('audit_events')
          .column('username')
          .execute();

        await db.schema
          .createTable('audit_chain')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('last_seq', big, (c) => c.notNull())
          .addColumn('last_hash', 'text', (c) => c.notNull())
          .execute();
        await sql`insert into audit_chain (id, last_seq, last_hash) values (1, 0, ${GENESIS_HASH})`.execute(
          db,
        );

        await db.schema
          .createTable('sealing_key')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('throttle')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_failure_at', big, (c) => c.notNull())
          .addColumn('blocked_until', big, (c) => c.notNull())
          .execute();
      },
    },
    '002-enrollment': { up: enrollmentTables },
    '003-sessions': { up: sessionTables },
    '004-directory-users': {
      // The directory a user comes from (its name in the configuration); null: kept by Pforte.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('users').addColumn('directory', 'text').execute();
      },
    },
    '005-known-clients': { up: knownClientTables },
    '006-list-order': { up: listOrderIndexes },
    '007-console': { up: consoleColumns },
    '008-bulk-runs': { up: bulkRunTables },
    '009-temporary-access': { up: temporaryAccessTable },
    '010-totp-drift': { up: totpDriftColumn },
    '011-audit-filters': { up: auditFilterIndexes },
    '012-drift-candidates': { up: driftCandidateColumns },
    '013-token-status': { up: tokenStatusTables },
    '014-audit-chain-key': { up: auditChainKeyColumn },
    '015-oidc': { up: oidcTables },
    // audit_by_user (username, id) answers every question audit_username did; one index
    // fewer is one page fewer written by every sign-in's audit insert.
    '016-audit-username-index': {
      up: (db) => db.schema.dropIndex('audit_username').ifExists().execute(),
    },
  };
}

/**
 * Where each user signed in before (a client address, or a portal device cookie's
 * SHA-256): failures from elsewhere never slow the user down there.
 */
async function knownClientTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('known_clients')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('last_accepted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('known_clients_pk', ['username', 'client'])
    .execute();
  await db.schema
    .createIndex('known_clients_last_accepted')
    .on('known_clients')
    .column('last_accepted_at')
    .execute();
}

/** Portal sessions: the cookie holds a random token, the table only its SHA-256. */
async function sessionTables(db: Kysely<unknown>): Promise<void> {
  const big = 'bigint';
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_seen_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();
}

async function enrollmentTables(db: Kysely<unknown>): Promise<void> {
  const big = 'bigint';
  await db.schema
    .createTable('enrollments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('activations_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('completed_at', big)
    .addColumn('token_serial', 'text')
    .addColumn('mail_id', 'text')
    .execute();
  await db.schema.createIndex('enrollments_user').on('enrollments').column('user_id').execute();
  await db.schema.createIndex('enrollments_state').on('enrollments').column('state').execute();
  // At most one open enrollment per user, also when two are started at the same moment.
  await db.schema
    .createIndex('enrollments_one_open')
    .on('enrollments')
    .column('user_id')
    .unique()
    .where(sql.ref('state'), '=', 'open')
    .execute();

  await db.schema
    .createTable('activations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'text', (c) =>
      c.notNull().references('enrollments.id').onDelete('cascade'),
    )
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', big, (c) => c.notNull())
    .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('sent_at', big)
    .addColumn('enrollment_id', 'text')
    .execute();
  await db.schema
    .createIndex('mail_outbox_due')
    .on('mail_outbox')
    .columns(['state', 'next_attempt_at'])
    .execute();
}

/**
 * Each list pages by keyset in its own order (src/store/paging.ts), so each order has
 * an index: users by username and audit events by id have theirs already.
 */
async function listOrderIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('tokens_listed')
    .on('tokens')
    .columns(['created_at', 'serial'])
    .execute();
  await db.schema
    .createIndex('enrollments_listed')
    .on('enrollments')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('mail_outbox_listed')
    .on('mail_outbox')
    .columns(['created_at', 'id'])
    .execute();
}

/**
 * What the console needs: a role per user, the last sign-in (a sort order), search keys
 * (the e-mail and name in lower case, so a case-insensitive prefix search walks an
 * index on both databases), the token a session was opened with (revoking it ends the
 * session), and indexes for the audit log's filters.
 */
async function consoleColumns(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('role', 'text').execute();
  await db.schema.alterTable('users').addColumn('last_signin_at', 'bigint').execute();
  await db.schema
    .alterTable('users')
    .addColumn('email_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('name_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`update users set email_key = lower(email), name_key = lower(display_name)`.execute(db);
  await db.schema
    .createIndex('users_by_name')
    .on('users')
    .columns(['name_key', 'username'])
    .execute();
  await db.schema
    .createIndex('users_by_email')
    .on('users')
    .columns(['email_key', 'username'])
    .execute();
  await db.schema
    .createIndex('users_by_last_signin')
    .on('users')
    .columns(['last_signin_at', 'username'])
    .execute();
  await db.schema.alterTable('sessions').addColumn('token_serial', 'text').execute();
  await db.schema
    .createIndex('audit_by_user')
    .on('audit_events')
    .columns(['username', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_by_action')
    .on('audit_events')
    .columns(['action', 'at'])
    .execute();
}

/**
 * Bulk enrollment as a job of the server (src/enrollment/bulk-runs.ts): each run with its
 * rows, options, state, counts and the row it resumes from; the rows that need a look
 * (failed, or skipped for want of a user) beside it; and the run that started each
 * enrollment (`batch`), so the enrollment list filters by it.
 */
async function bulkRunTables(db: Kysely<unknown>): Promise<void> {
  const big = 'bigint';
  const count = (name: string) => (t: CreateTableBuilder<string, never>) =>
    t.addColumn(name, 'integer', (c) => c.notNull().defaultTo(0));
  let table = db.schema
    .createTable('bulk_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('face', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('rows', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('worker', 'text')
    .addColumn('lease_until', big)
    .addColumn('claims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('started_at', big)
    .addColumn('finished_at', big)
    .addColumn('error', 'text', (c) => c.notNull().defaultTo(''));
  for (const name of BULK_RUN_COUNTS) table = count(name)(table);
  await table.execute();
  await db.schema
    .createIndex('bulk_runs_listed')
    .on('bulk_runs')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('bulk_runs_due')
    .on('bulk_runs')
    .columns(['state', 'lease_until'])
    .execute();
  await db.schema
    .createTable('bulk_run_problems')
    .addColumn('run_id', 'text', (c) => c.notNull().references('bulk_runs.id').onDelete('cascade'))
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bulk_run_problems_key', ['run_id', 'row', 'kind'])
    .execute();
  await db.schema.alterTable('enrollments').addColumn('batch', 'text').execute();
  await db.schema
    .createIndex('enrollments_by_batch')
    .on('enrollments')
    .columns(['batch', 'created_at', 'id'])
    .execute();
}

/** The counters of a bulk run, one column each (the BulkSummary's kinds), as of 008. */
const BULK_RUN_COUNTS = [
  'started',
  'resent',
  'replaced',
  'already_enrolled',
  'open_already',
  'skipped',
  'failed',
  'sent',
  'stored',
] as const;

/**
 * Temporary access for a user without a working phone: the code only as a MAC under a
 * key derived from the master key (a database dump alone cannot try the 10^8 codes).
 */
async function temporaryAccessTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('temporary_access')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_mac', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('uses_left', 'integer', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema
    .createIndex('temporary_access_user')
    .on('temporary_access')
    .columns(['user_id', 'expires_at'])
    .execute();
}

/** A TOTP token's measured clock drift (src/tokens/resync.ts); tokens so far have none. */
async function totpDriftColumn(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tokens')
    .addColumn('drift_steps', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

/**
 * The audit log's filters page newest first by id: each filter on a column of its own
 * walks an index in that order, so a page reads one page of events however rare the
 * action or address (the overview's 24-hour count keeps `audit_by_action (action, at)`).
 */
async function auditFilterIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('audit_by_action_id')
    .on('audit_events')
    .columns(['action', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_by_address')
    .on('audit_events')
    .columns(['address', 'id'])
    .execute();
}

/**
 * A TOTP code found outside the window but within ten minutes of now, kept until the
 * next code confirms the same clock offset (src/tokens/drift.ts; RFC 6238 section 6).
 */
async function driftCandidateColumns(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('drift_candidate_step', 'bigint').execute();
  await db.schema.alterTable('tokens').addColumn('drift_candidate_offset', 'integer').execute();
  await db.schema.alterTable('tokens').addColumn('drift_candidate_at', 'bigint').execute();
}

/**
 * The holder's status check (src/tokens/holder-status.ts): each token's status key, a
 * one-way derivation of its seed that outlives a revocation ('' for tokens made before,
 * filled at their first check), and the single-use challenges a check answers.
 */
async function tokenStatusTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tokens')
    .addColumn('status_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createTable('token_status_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('token_status_challenges_expiry')
    .on('token_status_challenges')
    .column('expires_at')
    .execute();
}

/**
 * The audit chain's HMAC key, sealed under the master key (audit/chain.ts), so that it
 * outlives a rotation of the master key; empty until the first start after this migration.
 */
async function auditChainKeyColumn(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit_chain')
    .addColumn('sealed_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}

/**
 * The OpenID Provider's state (src/oidc/): what oidc-provider stores (sessions, grants,
 * codes, tokens; found by the SHA-256 of their id, so a dump holds no usable token), its
 * signing keys and the clients added by the CLI, all sealed under the master key where
 * secret, so every server process behind the load balancer shares them.
 */
async function oidcTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oidc_payloads')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('uid', 'text')
    .addColumn('user_code', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('oidc_payloads_grant')
    .on('oidc_payloads')
    .column('grant_id')
    .execute();
  await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').column('uid').execute();
  await db.schema
    .createIndex('oidc_payloads_expiry')
    .on('oidc_payloads')
    .column('expires_at')
    .execute();
  await db.schema
    .createTable('oidc_signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('sealed_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
  // One key per algorithm and generation: two processes starting at once make one set.
  await db.schema
    .createIndex('oidc_signing_keys_generation')
    .on('oidc_signing_keys')
    .columns(['generation', 'alg'])
    .unique()
    .execute();
  await db.schema
    .createTable('oidc_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('sealed_secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** The `prev_hash` of the first audit event. */
export const GENESIS_HASH = '0'.repeat(64);
