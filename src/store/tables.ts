/**
 * The tables, as Kysely sees them. Times are milliseconds since the epoch and flags
 * are 0/1 integers, so that one set of queries serves SQLite and PostgreSQL alike.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  email: string;
  display_name: string;
  lang: string;
  password_hash: string | null;
  /** The configured directory the user comes from; null for users Pforte keeps itself. */
  directory: string | null;
  disabled: number;
  created_at: number;
  updated_at: number;
  /** `admin` or `helpdesk` (users/roles.ts); null: no console. */
  role: string | null;
  last_signin_at: number | null;
  /** Lower-case e-mail and display name: the console's prefix search walks their indexes. */
  email_key: string;
  name_key: string;
}

export type TokenState = 'pending' | 'active' | 'disabled' | 'locked' | 'revoked';

export interface TokensTable {
  id: string;
  serial: string;
  user_id: string;
  type: 'totp' | 'hotp';
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: number;
  period: number;
  /** HOTP: the next counter expected (one past the last accepted). */
  counter: number;
  /** TOTP: the last accepted time step, or null when none was accepted yet. */
  last_step: number | null;
  /**
   * TOTP: how many time steps the authenticator's clock runs ahead (negative: behind),
   * as a resynchronisation measured it (RFC 6238 section 6); 0 until then.
   */
  drift_steps: number;
  /**
   * TOTP: a code found outside the window but near now, not yet accepted (src/tokens/drift.ts):
   * its time step, the clock offset it showed (in steps, as drift_steps), and when it came.
   */
  drift_candidate_step: number | null;
  drift_candidate_offset: number | null;
  drift_candidate_at: number | null;
  sealed_seed: string;
  /**
   * The sealed HMAC key the holder's status check is proved with (src/protocol/token-status.ts),
   * kept when a revocation wipes the seed; '' for a token made before it existed.
   */
  status_key: string;
  state: TokenState;
  fail_count: number;
  locked_at: number | null;
  description: string;
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  scope: 'validate' | 'admin';
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  actor: string;
  face: string;
  action: string;
  outcome: string;
  reason: string;
  username: string;
  serial: string;
  address: string;
  detail: string;
  /** Position in the hash chain; null until the event is sealed. */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface AuditChainTable {
  id: number;
  last_seq: number;
  last_hash: string;
  /** The chain's HMAC key, sealed (`v1.<key id>.…`) under the master key. */
  sealed_key: string;
}

export interface ThrottleTable {
  key: string;
  failures: number;
  last_failure_at: number;
  blocked_until: number;
}

/** A place a user signed in from: `address:<ip>` or `device:<SHA-256 of the cookie>`. */
export interface KnownClientsTable {
  username: string;
  client: string;
  last_accepted_at: number;
}

/** A status-check challenge the server gave out, until it is answered or expires. */
export interface TokenStatusChallengesTable {
  /** The challenge itself: 32 random bytes, base64url. */
  id: string;
  expires_at: number;
}

/** One row (id 1): the id of the master key this database's secrets are sealed with. */
export interface SealingKeyTable {
  id: number;
  key_id: string;
  created_at: number;
}

export type EnrollmentState = 'open' | 'done' | 'expired' | 'cancelled';

export interface EnrollmentsTable {
  id: string;
  user_id: string;
  /** SHA-256 of the activation code: the code itself is never stored. */
  code_hash: string;
  state: EnrollmentState;
  created_at: number;
  expires_at: number;
  activations_used: number;
  created_by: string;
  completed_at: number | null;
  token_serial: string | null;
  /** The outbox message that carried the latest code. */
  mail_id: string | null;
  /** The bulk run that started (or last mailed) it; null when started one by one. */
  batch: string | null;
}

export interface ActivationsTable {
  id: string;
  enrollment_id: string;
  token_id: string;
  kind: 'app' | 'standard';
  state: 'pending' | 'confirmed' | 'failed';
  /** Wrong passcodes typed for a standard-app activation. */
  failures: number;
  created_at: number;
  expires_at: number;
  address: string;
}

export type MailState = 'queued' | 'sending' | 'sent' | 'failed' | 'stored' | 'cancelled';

export interface MailOutboxTable {
  id: string;
  kind: string;
  to_address: string;
  to_name: string;
  subject: string;
  /** Erased once the message is sent: a sent enrollment mail carries a live code. */
  text_body: string;
  html_body: string;
  state: MailState;
  attempts: number;
  next_attempt_at: number;
  last_error: string;
  created_at: number;
  sent_at: number | null;
  enrollment_id: string | null;
}

/** A temporary code for a user without a working phone (src/temporary/). */
export interface TemporaryAccessTable {
  id: string;
  user_id: string;
  /** HMAC-SHA-256 of the code under a key derived from the master key `key_id`. */
  code_mac: string;
  key_id: string;
  uses_left: number;
  uses: number;
  created_by: string;
  created_at: number;
  expires_at: number;
  /** Set when it ends before its time: a new token became active, or an operator ended it. */
  ended_at: number | null;
  end_reason: string | null;
}

export type TemporaryAccessRow = Selectable<TemporaryAccessTable>;

export interface Database {
  users: UsersTable;
  tokens: TokensTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  audit_chain: AuditChainTable;
  throttle: ThrottleTable;
  known_clients: KnownClientsTable;
  sealing_key: SealingKeyTable;
  enrollments: EnrollmentsTable;
  activations: ActivationsTable;
  mail_outbox: MailOutboxTable;
  sessions: SessionsTable;
  bulk_runs: BulkRunsTable;
  bulk_run_problems: BulkRunProblemsTable;
  temporary_access: TemporaryAccessTable;
  token_status_challenges: TokenStatusChallengesTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_signing_keys: OidcSigningKeysTable;
  oidc_clients: OidcClientsTable;
}

/** One of oidc-provider's stored things (src/oidc/adapter.ts). */
export interface OidcPayloadsTable {
  /** SHA-256 (base64url) of the model's name and id: the id itself (a token) is not stored. */
  id_hash: string;
  kind: string;
  /** The payload as JSON, without its id (a Session's id is kept sealed in it). */
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  /** Milliseconds; null: does not expire on its own. */
  expires_at: number | null;
  consumed_at: number | null;
}

/** A signing key of the OpenID Provider: a private JWK sealed under the master key. */
export interface OidcSigningKeysTable {
  kid: string;
  alg: string;
  /** Keys made together share a generation; the newest generation signs. */
  generation: number;
  sealed_jwk: string;
  created_at: number;
  /** When a newer generation took over; its public key stays in the JWKS for the grace period. */
  retired_at: number | null;
}

/** An OpenID client added with `pforte oidc client add` (configured ones are not stored). */
export interface OidcClientsTable {
  client_id: string;
  /** The client's metadata as JSON (redirect_uris, name, first_party, …), without the secret. */
  metadata: string;
  /** The client secret sealed under the master key; '' for a public client. */
  sealed_secret: string;
  created_at: number;
}

/** `draft`: previewed in the console, not started; the job works `queued` and `running` runs. */
export type BulkRunState = 'draft' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface BulkRunsTable {
  id: string;
  state: BulkRunState;
  /** Who started it, through which face and from where: the actor of its audit events. */
  started_by: string;
  face: string;
  address: string;
  /** JSON: where the rows came from (a file's name, or a directory and its filter). */
  source: string;
  /** JSON: the rows, as read when the run was made. */
  rows: string;
  /** JSON: resend, replace, lifetimeMs. */
  options: string;
  total: number;
  /** Rows done: the run resumes at this row (0-based). */
  position: number;
  /** The process working it, and until when it may without renewing (then another takes over). */
  worker: string | null;
  lease_until: number | null;
  /** How many times a worker took it: more than one means it was resumed. */
  claims: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** Why the run failed, when it did. */
  error: string;
  started: number;
  resent: number;
  replaced: number;
  already_enrolled: number;
  open_already: number;
  /** Skipped for another reason: no such user, a disabled user. */
  skipped: number;
  failed: number;
  sent: number;
  stored: number;
}

/** A row of a run that needs a look: it failed, its mail failed, or it named no usable user. */
export interface BulkRunProblemsTable {
  run_id: string;
  /** The row's number in the file, from 1. */
  row: number;
  username: string;
  kind: 'failed' | 'mail' | 'unknown' | 'disabled';
  reason: string;
}

export interface SessionsTable {
  /** SHA-256 (base64url) of the session token in the cookie. */
  id_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  /** The absolute end: created_at + the configured lifetime. */
  expires_at: number;
  /** The token the session was opened with: revoking it ends the session in the console. */
  token_serial: string | null;
}

export type SessionRow = Selectable<SessionsTable>;

export type EnrollmentRow = Selectable<EnrollmentsTable>;
export type ActivationRow = Selectable<ActivationsTable>;
export type MailRow = Selectable<MailOutboxTable>;
export type BulkRunRow = Selectable<BulkRunsTable>;

export type UserRow = Selectable<UsersTable>;
export type TokenRow = Selectable<TokensTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
export type TokenUpdate = Updateable<TokensTable>;
