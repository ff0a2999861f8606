/**
 * Where a sign-in may send the browser afterwards (OWASP Unvalidated Redirects and
 * Forwards Cheat Sheet): a path on Pforte itself, or an address on the origin of one of
 * the configured services — nothing else, so the portal is no open redirect.
 *
 * The order is what keeps it closed: the candidate is first normalised the way a
 * browser reads it (WHATWG URL: `/./`, `/../`, `%2e%2e` resolved, non-ASCII
 * percent-encoded), then the normalised string is checked, and that same string is what
 * the Location header carries. Checking the raw value and sending the normalised one
 * let `/.//evil.example` through as `//evil.example`.
 */
import type { Config } from '../../config/schema.js';

const MAX_LENGTH = 2000;
/** An absolute URL starts with a scheme (RFC 3986 section 3.1). */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The normalised `candidate` when it is a safe place to return to, else undefined. */
export function allowedReturn(config: Readonly<Config>, candidate: unknown): string | undefined {
  const own = new URL(config.publicUrl);
  const normalised = normaliseReturn(own, candidate);
  if (normalised === undefined) return undefined;
  return isSafeToSend(config, own, normalised) ? normalised : undefined;
}

/**
 * The string the browser would be sent: a path (with query and fragment) when the
 * address is on Pforte's own origin, else the full URL in its serialised form.
 * Undefined for what is neither a path nor an absolute URL.
 */
function normaliseReturn(own: URL, candidate: unknown): string | undefined {
  if (typeof candidate !== 'string' || candidate === '' || candidate.length > MAX_LENGTH) {
    return undefined;
  }
  // Control characters (tabs and newlines are dropped by browsers) and backslashes
  // (read as "/" by browsers, not by every server) make two readers see two URLs.
  if (/[\p{Cc}\\]/u.test(candidate)) return undefined;
  let url: URL;
  try {
    if (candidate.startsWith('/')) url = new URL(candidate, own);
    else if (SCHEME.test(candidate)) url = new URL(candidate);
    else return undefined;
  } catch {
    return undefined;
  }
  return url.origin === own.origin ? `${url.pathname}${url.search}${url.hash}` : url.href;
}

/** Whether `sent`, exactly as it will stand in the Location header, stays where it may. */
function isSafeToSend(config: Readonly<Config>, own: URL, sent: string): boolean {
  if (sent.length > MAX_LENGTH) return false;
  if (sent.startsWith('/')) {
    // "//host" and "/\host" are another host to a browser, however they came about.
    return !/^\/[/\\]/.test(sent) && new URL(sent, own).origin === own.origin;
  }
  const target = new URL(sent);
  const allowed = new Set(config.portal.services.map((s) => new URL(s.url).origin));
  return (
    ['http:', 'https:'].includes(target.protocol) &&
    !target.username &&
    !target.password &&
    allowed.has(target.origin)
  );
}
