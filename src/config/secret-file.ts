/**
 * A secret given inline or as a file beside it (`secret` / `secretFile`, `client_secret`
 * / `client_secret_file`): a file keeps it out of the environment and the process list.
 * Read at start, so a missing file stops the start with the client's name, not a sign-in.
 */
import { readFileSync } from 'node:fs';
import { PforteError } from '../errors.js';

export function readSecret(
  owner: string,
  inline: string,
  file: string,
  read: (path: string) => Buffer = (path) => readFileSync(path),
): string {
  if (!file) return inline;
  try {
    return read(file).toString('utf8').trim();
  } catch (error) {
    throw new PforteError(
      'ERR_START_FAILED',
      `${owner}: cannot read the secret file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}
