/**
 * Where a client may have Pforte send the browser (redirect and post-logout URIs) and
 * post its logout notices (back-channel logout URI), checked when a client is added, so
 * that a stored client is one oidc-provider takes when it loads it:
 * - an absolute URL without a fragment (RFC 6749 3.1.2; Back-Channel Logout 1.0 2.2),
 *   in printable ASCII and without a user or password (RFC 3986 3.2.1 deprecates them);
 * - https, or http on a loopback address only: anywhere else the code would cross the
 *   network in the clear (RFC 6749 3.1.2.1; RFC 8252 7.3);
 * - for a public client also a private-use scheme in reverse domain order
 *   (`com.example.app:/callback`, RFC 8252 7.1). Such a client is a native app, whose
 *   https URIs must not be on loopback (RFC 8252 7.2, as oidc-provider checks it).
 */

/** The host names oidc-provider takes for loopback (RFC 8252 7.3). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** A scheme with a dot in it: a reverse domain name, never `javascript:`, `data:` or `file:`. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

const HTTP_RULE = 'must be https (http only on a loopback address: 127.0.0.1, [::1], localhost)';

/** Printable ASCII only: no space, no control character, nothing a reader could take two ways. */
const PRINTABLE = /^[!-~]+$/;

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** What is wrong with an address whatever it is for; undefined when nothing. */
function shapeProblem(uri: string, url: URL | undefined): string | undefined {
  if (!url) return 'is not an absolute URL';
  if (!PRINTABLE.test(uri)) return 'must be printable ASCII, without spaces';
  if (url.username || url.password) return 'must not carry a user or password';
  if (uri.includes('#')) return 'must not have a fragment (#…)';
  return undefined;
}

function isPrivateUse(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && PRIVATE_USE_SCHEME.test(url.protocol);
}

/** A client with a private-use redirect URI is a native app (application_type "native"). */
export function isNativeApp(redirectUris: readonly string[]): boolean {
  return redirectUris.some(isPrivateUse);
}

/** What is wrong with an address for the browser, in a few words; undefined when nothing. */
export function redirectUriProblem(
  uri: string,
  client: { isPublic: boolean; native: boolean },
): string | undefined {
  const url = parse(uri);
  const shape = shapeProblem(uri, url);
  if (shape || !url) return shape;
  if (PRIVATE_USE_SCHEME.test(url.protocol)) {
    return client.isPublic
      ? undefined
      : 'has a private-use scheme, which only a public client (a native app) may use';
  }
  if (url.protocol === 'https:' && client.native && LOOPBACK_HOSTS.has(url.hostname)) {
    return 'must not be https on a loopback address in a native app (use http://127.0.0.1)';
  }
  return webUriProblem(
    url,
    client.isPublic ? ', or a private-use scheme (com.example.app:/…)' : '',
  );
}

/** What is wrong with the address Pforte posts back-channel logout tokens to. */
export function logoutUriProblem(uri: string): string | undefined {
  const url = parse(uri);
  if (!url) return 'is not an absolute URL (printable ASCII, no user or password)';
  if (uri.includes('#')) return 'must not have a fragment (#…)';
  return webUriProblem(url, '');
}

function webUriProblem(url: URL, otherwise: string): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return `${HTTP_RULE}${otherwise}`;
}
