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
  disabled: number;
  created_at: number;
  updated_at: number;
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
  sealed_seed: string;
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
}

export interface ThrottleTable {
  key: string;
  failures: number;
  last_failure_at: number;
  blocked_until: number;
}

/** One row (id 1): the id of the master key this database's secrets are sealed with. */
export interface SealingKeyTable {
  id: number;
  key_id: string;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  tokens: TokensTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  audit_chain: AuditChainTable;
  throttle: ThrottleTable;
  sealing_key: SealingKeyTable;
}

export type UserRow = Selectable<UsersTable>;
export type TokenRow = Selectable<TokensTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
export type TokenUpdate = Updateable<TokensTable>;
