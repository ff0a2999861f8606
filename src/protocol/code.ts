/**
 * Activation codes: the "enrollment string" a user sees, copies or types.
 *
 * 25 characters of Crockford's base32 (125 random bits, DESIGN.md section 4), shown in
 * groups of five. Reading is forgiving: case, hyphens and spaces are ignored, and the
 * letters Crockford reads as digits (I, L → 1; O → 0) are accepted. Pure TypeScript:
 * the authenticator app reads typed and pasted codes with the same rules.
 */
import type { Random } from '../clock.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 25;

export function generateActivationCode(random: Random): string {
  // 256 is a multiple of 32, so `byte & 31` picks every character equally often.
  return [...random.bytes(CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
}

/** The canonical code, or undefined when the input cannot be one. */
export function normalizeActivationCode(input: string): string | undefined {
  if (input.length > 100) return undefined;
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (code.length !== CODE_LENGTH) return undefined;
  for (const char of code) if (!ALPHABET.includes(char)) return undefined;
  return code;
}

export function groupActivationCode(code: string): string {
  return code.match(/.{1,5}/g)!.join('-');
}
