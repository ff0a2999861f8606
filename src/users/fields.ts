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

/**
 * The rules below are written once, as JSON Schema patterns and limits: the REST
 * schemas (src/http/api/schemas.ts) publish and enforce the same ones the core checks
 * here, so the OpenAPI document is exactly as strict as the server. Lengths count
 * code points, as JSON Schema does.
 */
export const USERNAME_MAX = 64;
/** As typed, in either case; ASCII only, so no look-alike (U+212A, the Kelvin sign) passes. */
export const USERNAME_PATTERN = `^[A-Za-z0-9][A-Za-z0-9._@+-]{0,${USERNAME_MAX - 1}}$`;
/** RFC 5321 limits a path to 254 characters. */
export const EMAIL_MAX = 254;
// The shape check is deliberately simple (OWASP Input Validation Cheat Sheet, "Email
// Address Validation"); no control or format character anywhere.
const EMAIL_CHAR = String.raw`[^\s@<>()[\]\\,;:"\p{Cc}\p{Cf}]`;
const EMAIL_DOMAIN_END = String.raw`[^\s@<>()[\]\\,;:".\p{Cc}\p{Cf}]`;
export const EMAIL_PATTERN = String.raw`^${EMAIL_CHAR}{1,64}@${EMAIL_CHAR}+\.${EMAIL_DOMAIN_END}+$`;
export const NAME_MAX = 100;
// Letters of any script, but no control or format character and not only spaces.
const NAME_CHAR = String.raw`[^\p{Cc}\p{Cf}\u2028\u2029]`;
export const NAME_PATTERN = String.raw`^${NAME_CHAR}*[^\s\p{Cc}\p{Cf}]${NAME_CHAR}*$`;

const USERNAME = new RegExp(USERNAME_PATTERN);
const EMAIL = new RegExp(EMAIL_PATTERN, 'u');
const NAME = new RegExp(NAME_PATTERN, 'u');

export const PASSWORD_MIN = 8;
/** The console roles (what each may do: roles.ts). */
export const ROLES = ['admin', 'helpdesk'] as const;
export type Role = (typeof ROLES)[number];

/** Long enough for any passphrase, short enough that hashing cannot be abused. */
export const PASSWORD_MAX = 256;

/** The length JSON Schema's maxLength sees: code points, not UTF-16 units. */
export function textLength(input: string): number {
  return [...input].length;
}

export function normalizeUsername(input: string): string {
  if (!USERNAME.test(input)) {
    throw invalid(
      'username must be 1 to 64 characters: letters a-z, digits and . _ @ + - (not first)',
    );
  }
  return input.toLowerCase();
}

export function checkEmail(input: string): string {
  if (textLength(input) > EMAIL_MAX || !EMAIL.test(input)) {
    throw invalid('email must be an e-mail address such as name@example.org');
  }
  return input;
}

export function checkDisplayName(input: string): string {
  const name = input.normalize('NFC').trim();
  if (textLength(name) > NAME_MAX || !NAME.test(name)) {
    throw invalid('name must be 1 to 100 characters without control characters');
  }
  return name;
}

export function checkLanguage(input: string): Language {
  if (!(LANGUAGES as readonly string[]).includes(input)) throw invalid('lang must be de or en');
  return input as Language;
}

export function checkNewPassword(input: string): string {
  const length = textLength(input);
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    throw invalid(`password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`);
  }
  return input;
}
