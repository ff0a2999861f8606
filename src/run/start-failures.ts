/**
 * Start-up failures that come from the machine rather than from the configuration: the
 * port is taken, the host name is unknown, the database does not answer, the data folder
 * cannot be written. Each becomes one line that names the thing and says what is wrong
 * (ERR_START_FAILED), instead of "internal error" and a stack. The CLI exits 1 for them:
 * the configuration may be right and a retry may work once the machine is fixed, which is
 * what a supervisor's restart policy needs to tell apart from exit 2 (fix the settings).
 */
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { PforteError } from '../errors.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

const REASONS: Record<string, string> = {
  EADDRINUSE: 'the address is in use',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTFOUND: 'the host name is unknown',
  EAI_AGAIN: 'the host name cannot be looked up now',
  EAI_FAIL: 'the host name is unknown',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'a file in it is a folder',
  SQLITE_READONLY: 'the database file is read-only',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_FULL: 'the disk is full',
};

/** PostgreSQL answers (SQLSTATE) that mean the server is there but will not let us in. */
const DATABASE_REFUSALS: Record<string, string> = {
  '28P01': 'the password was refused',
  '28000': 'the role may not sign in',
  '3D000': 'the database does not exist',
  '57P03': 'the database is starting up or shutting down',
  '53300': 'too many connections',
};

/** The error `listen()` raised, as one line naming the address. */
export function explainListenFailure(error: unknown, host: string, port: number): unknown {
  const reason = reasonOf(error);
  if (!reason) return error;
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return startFailed(`cannot listen on ${address}: ${reason}`, error);
}

/** An error from opening the core (data folder, master key file, database), as one line. */
export function explainOpenFailure(error: unknown, config: Readonly<Config>): unknown {
  const failure = error as SystemError;
  if (config.database.url && isDatabaseFailure(failure)) {
    const why = DATABASE_REFUSALS[failure.code ?? ''] ?? reasonOf(error) ?? 'no answer in time';
    return startFailed(
      `cannot reach the database at ${withoutCredentials(config.database.url)} (${why})`,
      error,
    );
  }
  if (isDataFolderFailure(failure, config.dataDir)) {
    return startFailed(
      `cannot write to the data folder ${resolve(config.dataDir)} (${reasonOf(error)}); set PFORTE_DATA_DIR to a folder this user can write`,
      error,
    );
  }
  return error;
}

function isDatabaseFailure(error: SystemError): boolean {
  if (error.code && error.code in DATABASE_REFUSALS) return true;
  // An unknown host name is no outage, but it is the database the start cannot reach.
  return error.syscall === 'getaddrinfo' || isDatabaseUnavailable(error);
}

function isDataFolderFailure(error: SystemError, dataDir: string): boolean {
  // SQLite names no path; its extended codes (SQLITE_CANTOPEN_ISDIR) share the primary's.
  if (error.code?.startsWith('SQLITE_')) return reasonOf(error) !== undefined;
  if (!error.path || !reasonOf(error)) return false;
  const folder = resolve(dataDir);
  const path = resolve(error.path);
  // mkdir of a folder below a file reports the folder; its parents count too.
  return path === folder || path.startsWith(`${folder}/`) || folder.startsWith(`${path}/`);
}

function reasonOf(error: unknown): string | undefined {
  const code = (error as SystemError | undefined)?.code;
  if (!code) return undefined;
  const base = code.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : code;
  return REASONS[base];
}

/** The URL as a reader may see it: scheme, host, port and database, no user or password. */
function withoutCredentials(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return '(the configured URL)';
  }
}

function startFailed(message: string, cause: unknown): PforteError {
  return new PforteError('ERR_START_FAILED', message, {
    detail: cause instanceof Error ? cause.message : String(cause),
  });
}
