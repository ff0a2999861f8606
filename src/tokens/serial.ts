/**
 * Token serials: "PF" and ten characters of Crockford's base32 (no I, L, O, U), easy to
 * read out over the phone to the help desk, about 2^50 possibilities.
 */
import type { Random } from '../clock.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function generateSerial(random: Random): string {
  const bytes = random.bytes(10);
  let serial = 'PF';
  for (const byte of bytes) serial += CROCKFORD[byte & 31];
  return serial;
}

export const SERIAL_PATTERN = /^[A-Z0-9]{4,32}$/;
