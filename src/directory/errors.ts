/**
 * What went wrong talking to a directory, in words an administrator can act on. The
 * service account's password is never part of a message.
 */
import { InvalidCredentialsError } from 'ldapts';

export type DirectoryProblem =
  | 'cannot_connect'
  | 'tls_failed'
  | 'service_credentials'
  | 'timeout'
  | 'search_failed'
  | 'files_unreadable';

export class DirectoryError extends Error {
  constructor(
    readonly problem: DirectoryProblem,
    readonly directory: string,
    detail: string,
  ) {
    super(`directory ${directory}: ${DESCRIPTIONS[problem]} (${detail})`);
  }
}

const DESCRIPTIONS: Record<DirectoryProblem, string> = {
  cannot_connect: 'cannot connect to any of its addresses',
  tls_failed: 'the TLS connection failed (certificate not trusted or not for this host)',
  service_credentials: 'the service account was refused (bind DN or password wrong)',
  timeout: 'the directory did not answer in time',
  search_failed: 'the search failed',
  files_unreadable: 'its password file or CA file cannot be read',
};

const TLS_CODES = /^(ERR_TLS|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_SSL|UNABLE_TO_GET_ISSUER)/;

/** Sorts a thrown error into a problem; `binding` says it came from the service bind. */
export function classify(directory: string, error: unknown, binding: boolean): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (binding && error instanceof InvalidCredentialsError) {
    return new DirectoryError('service_credentials', directory, 'invalid credentials');
  }
  if (typeof code === 'string' && TLS_CODES.test(code)) {
    return new DirectoryError('tls_failed', directory, code);
  }
  if (/timeout|timed out/i.test(message)) return new DirectoryError('timeout', directory, message);
  if (typeof code === 'string' && /^E[A-Z]+/.test(code)) {
    return new DirectoryError('cannot_connect', directory, code);
  }
  if (/certificate|altnames|self.signed/i.test(message)) {
    return new DirectoryError('tls_failed', directory, message);
  }
  return new DirectoryError(binding ? 'cannot_connect' : 'search_failed', directory, message);
}
