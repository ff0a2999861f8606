/**
 * Which errors mean "the database cannot answer now" rather than "this request or this
 * server is wrong": the one place that knows the drivers' codes, so that every face
 * answers an outage the same way (503 ERR_DATABASE_UNAVAILABLE) and nothing else
 * is mistaken for one.
 */
import { PforteError } from '../errors.js';

/**
 * PostgreSQL SQLSTATEs of a server going away or not taking connections: class 08
 * (connection exception), 57P01–57P03 (terminated by an administrator, crash, starting
 * up or shutting down) and 53300 (too many connections).
 */
const PG_STATES = /^(08...|57P0[123]|53300)$/;

/** Socket errors of a database that is stopped, restarting, unreachable or too slow. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * SQLite: the write lock stayed taken past busy_timeout, or the file cannot be opened
 * or read (a full or vanished disk). Extended codes share the primary one's prefix.
 */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR)(_|$)/;

/** What `pg` and pg-pool say, without a code, when a connection ends or cannot start. */
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Client was closed and is not queryable',
];

/** True when `error` (or what caused it) says the database is out of reach for now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (PG_STATES.test(code) || SOCKET_CODES.has(code) || SQLITE_CODES.test(code)) return true;
  }
  if (PG_MESSAGES.some((text) => error.message.includes(text))) return true;
  // A connection to a name with several addresses fails with one error per address.
  if (
    error instanceof AggregateError &&
    error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))
  )
    return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}

/** The answer every face gives while the database is out of reach. */
export function databaseUnavailable(error: unknown): PforteError {
  return new PforteError(
    'ERR_DATABASE_UNAVAILABLE',
    'the service is unavailable for a moment (its database does not answer); try again shortly',
    {
      retryAfter: RETRY_AFTER_SECONDS,
      detail: error instanceof Error ? error.message : String(error),
    },
  );
}

/** A restart or failover takes seconds; clients should not hammer it meanwhile. */
const RETRY_AFTER_SECONDS = 5;
