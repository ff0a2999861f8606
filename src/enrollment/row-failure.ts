/**
 * Why a bulk row failed, in one line for the summary. A refusal says its own message;
 * a busy or unreachable database says what the person running the file can do about
 * it; anything else is a fault of ours, named by its first line (the whole of it goes
 * to the log).
 */
import { PforteError } from '../errors.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';

export interface RowFailure {
  reason: string;
  /** busy and unavailable are the database's state, not the row's; a fault is a bug of ours. */
  cause: 'refused' | 'busy' | 'unavailable' | 'fault';
}

// Waiting did not help: SQLite's write lock stayed taken past busy_timeout (extended
// codes such as SQLITE_BUSY_SNAPSHOT start the same), or PostgreSQL's lock timeout,
// serialisation failure or deadlock.
const BUSY = /^(SQLITE_BUSY|SQLITE_LOCKED|55P03$|40001$|40P01$)/;

const UNAVAILABLE: RowFailure = {
  reason: 'the database could not be reached; run the same rows again when it is back',
  cause: 'unavailable',
};

export function describeRowFailure(error: unknown): RowFailure {
  if (error instanceof PforteError && error.code === 'ERR_DATABASE_UNAVAILABLE') {
    return UNAVAILABLE;
  }
  // A refusal's message is the reason (a directory that does not answer says so too, and
  // is not taken for the database by the socket error beneath it).
  if (error instanceof PforteError && error.code !== 'ERR_INTERNAL') {
    return { reason: error.message, cause: 'refused' };
  }
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (BUSY.test(code)) {
    return {
      reason: 'the database was busy; run the same rows again to finish the rest',
      cause: 'busy',
    };
  }
  if (isDatabaseUnavailable(error)) return UNAVAILABLE;
  const message = error instanceof Error ? error.message : String(error);
  return { reason: `internal error: ${message.split('\n')[0]!.slice(0, 200)}`, cause: 'fault' };
}
