/**
 * What the user gave the app to import a token: the code typed or pasted, the
 * enrollment page's link, the app link with `#enroll=`, or the text of a scanned QR code.
 * Each is read down to the activation code, with a reason the app can explain when it
 * cannot be one. Pure TypeScript, shared by the app and its tests.
 */
import { normalizeActivationCode } from '../protocol/code.js';

export type EnrollmentInput =
  | { ok: true; code: string }
  /** Nothing was entered. */
  | { ok: false; problem: 'empty' }
  /** Not 25 characters of the enrollment alphabet: a typo, or only part was copied. */
  | { ok: false; problem: 'malformed' }
  /** A link to another Pforte server: this app can only activate tokens of its own. */
  | { ok: false; problem: 'other_server'; host: string };

/** The activation code in `input`, read for the server at `appOrigin`. */
export function readEnrollmentInput(input: string, appOrigin: string): EnrollmentInput {
  const text = input.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  const link = parseLink(text);
  if (!link) return codeFrom(text);
  if (link.origin !== appOrigin) return { ok: false, problem: 'other_server', host: link.host };
  const fromFragment = new URLSearchParams(link.hash.slice(1)).get('enroll');
  if (fromFragment !== null) return codeFrom(fromFragment);
  const fromPath = /^\/enroll\/([^/]+)\/?$/.exec(link.pathname)?.[1];
  return fromPath === undefined ? { ok: false, problem: 'malformed' } : codeFrom(fromPath);
}

function parseLink(text: string): URL | undefined {
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function codeFrom(text: string): EnrollmentInput {
  const code = normalizeActivationCode(decodeURIComponentSafely(text));
  return code ? { ok: true, code } : { ok: false, problem: 'malformed' };
}

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
