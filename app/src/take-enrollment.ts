/**
 * The first thing the app does, before it waits for anything (storage, the service
 * worker): take the enrollment code out of `#enroll=` and remove it from the address bar,
 * so it stays in no history entry — also when what follows fails.
 */
import {
  readEnrollmentInput,
  type EnrollmentInput,
} from '../../src/authenticator/enrollment-input.js';

/** The enrollment in the address now (removing it from there), or undefined. */
export function takeEnrollmentFromAddress(): EnrollmentInput | undefined {
  if (!location.hash.includes('enroll=')) return undefined;
  const read = readEnrollmentInput(location.href, location.origin);
  history.replaceState(null, '', location.pathname + location.search);
  return read;
}

export const enrollmentAtStart = takeEnrollmentFromAddress();
