/**
 * What a username, e-mail address, display name and password may be. Every face
 * checks input through these before anything is stored.
 *
 * Usernames are ASCII and case-insensitive (kept in lower case): look-alike letters
 * from other scripts cannot make a second "admin".
 */
import { invalid } from '../errors.js';
import { LANGUAGES, type Lang } from '../text/i18n.js';

/** A user's language is one the pages and mails are written in. */
export type Language = Lang;

const USERNAME = /^[a-z0-9][a-z0-9._@+-]{0,63}$/;
// RFC 5321 limits a path to 254 characters; the shape check is deliberately simple
// (OWASP Input Validation Cheat Sheet, "Email Address Validation").
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/u;
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export const PASSWORD_MIN = 8;
/** Long enough for any passphrase, short enough that hashing cannot be abused. */
export const PASSWORD_MAX = 256;

export function normalizeUsername(input: string): string {
  const username = input.toLowerCase();
  if (!USERNAME.test(username)) {
    throw invalid(
      'username must be 1 to 64 characters: letters a-z, digits and . _ @ + - (not first)',
    );
  }
  return username;
}

export function checkEmail(input: string): string {
  if (input.length > 254 || !EMAIL.test(input) || CONTROL.test(input)) {
    throw invalid('email must be an e-mail address such as name@example.org');
  }
  return input;
}

export function checkDisplayName(input: string): string {
  const name = input.normalize('NFC').trim();
  if (name.length === 0 || name.length > 100 || CONTROL.test(name)) {
    throw invalid('name must be 1 to 100 characters without control characters');
  }
  return name;
}

export function checkLanguage(input: string): Language {
  if (!(LANGUAGES as readonly string[]).includes(input)) throw invalid('lang must be de or en');
  return input as Language;
}

export function checkNewPassword(input: string): string {
  if (input.length < PASSWORD_MIN || input.length > PASSWORD_MAX) {
    throw invalid(`password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`);
  }
  return input;
}
