/**
 * Where a sign-in may send the browser afterwards (OWASP Unvalidated Redirects and
 * Forwards Cheat Sheet): a path on Pforte itself, or an address on the origin of one of
 * the configured services — nothing else, so the portal is no open redirect.
 */
import type { Config } from '../../config/schema.js';

const MAX_LENGTH = 2000;

/** `candidate` when it is a safe place to return to, else undefined. */
export function allowedReturn(config: Readonly<Config>, candidate: unknown): string | undefined {
  if (typeof candidate !== 'string' || candidate === '' || candidate.length > MAX_LENGTH) {
    return undefined;
  }
  // Control characters and backslashes make browsers and servers read URLs differently.
  if (/[\p{Cc}\\]/u.test(candidate)) return undefined;
  const own = new URL(config.publicUrl);
  if (candidate.startsWith('/')) {
    // "//evil.example" is another host, not a path.
    if (candidate.startsWith('//')) return undefined;
    const resolved = new URL(candidate, own);
    // Normalised (percent-encoded): a Location header carries only ASCII.
    return resolved.origin === own.origin
      ? `${resolved.pathname}${resolved.search}${resolved.hash}`
      : undefined;
  }
  let target: URL;
  try {
    target = new URL(candidate);
  } catch {
    return undefined;
  }
  if (!['http:', 'https:'].includes(target.protocol) || target.username || target.password) {
    return undefined;
  }
  const allowed = new Set([
    own.origin,
    ...config.portal.services.map((s) => new URL(s.url).origin),
  ]);
  return allowed.has(target.origin) ? target.href : undefined;
}
