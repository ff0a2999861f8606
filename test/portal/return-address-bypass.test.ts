/**
 * No open redirect through the portal's return address: known bypass forms (OWASP
 * Unvalidated Redirects and Forwards Cheat Sheet, PortSwigger's and PayloadsAllTheThings'
 * open-redirect lists), each through what a signed-in user really meets — `GET /login`
 * with a live session, `POST /login` after a successful sign-in, and `/auth/signin`
 * behind a reverse proxy — on SQLite and PostgreSQL. Every Location is a path on Pforte
 * that no browser reads as another host, or an address on a configured service's
 * origin; and it is what `allowedReturn` answers.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedReturn } from '../../src/http/portal/return-address.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DATABASES } from '../helpers/core.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

const OWN = 'https://sso.example.org';
const SERVICES = [
  { name: 'Mail', url: 'https://mail.example.org/' },
  { name: 'Wiki', url: 'https://wiki.example.org/start' },
];
const SERVICE_ORIGINS = SERVICES.map((s) => new URL(s.url).origin);
/** Where a signed-in user goes when the return address is refused. */
const REFUSED = '/services';

/** [what it tries, the return address, the Location a signed-in user gets] */
const CASES: [string, string, string][] = [
  // Good cases that keep working.
  ['a path', '/services', '/services'],
  [
    'a path with query and fragment',
    '/berichte/2026?monat=11&x=%2F%2F#summe',
    '/berichte/2026?monat=11&x=%2F%2F#summe',
  ],
  ['a path with non-ASCII characters', '/berichte/€', '/berichte/%E2%82%AC'],
  [
    'a configured service',
    'https://mail.example.org/inbox?id=1',
    'https://mail.example.org/inbox?id=1',
  ],
  [
    'a service with its default port',
    'https://mail.example.org:443/inbox',
    'https://mail.example.org/inbox',
  ],
  [
    'a service in mixed-case scheme and host',
    'HtTpS://MAIL.example.org/inbox',
    'https://mail.example.org/inbox',
  ],
  ['a service, scheme-relative', '//mail.example.org/inbox', 'https://mail.example.org/inbox'],
  [
    'a service with a fragment holding @',
    'https://mail.example.org#@evil.example',
    'https://mail.example.org/#@evil.example',
  ],
  [
    'a service with a query holding @',
    'https://mail.example.org?@evil.example',
    'https://mail.example.org/?@evil.example',
  ],
  ['Pforte by its full address', 'https://sso.example.org/services?x=1#y', '/services?x=1#y'],
  [
    'a query that names another host',
    '/services?next=//evil.example',
    '/services?next=//evil.example',
  ],
  ['a fragment that names another host', '/services#//evil.example', '/services#//evil.example'],
  // Another host, protocol-relative.
  ['//', '//evil.example', REFUSED],
  ['///', '///evil.example', REFUSED],
  ['////', '////evil.example/', REFUSED],
  ['// with a path', '//evil.example/%2F..', REFUSED],
  // Backslashes, read as "/" by browsers.
  ['/\\', '/\\evil.example', REFUSED],
  ['\\/', '\\/evil.example', REFUSED],
  ['\\\\', '\\\\evil.example', REFUSED],
  ['/\\/', '/\\/evil.example', REFUSED],
  ['// with \\@ and a service', '//evil.example\\@mail.example.org', REFUSED],
  ['https:/\\/', 'https:/\\/evil.example', REFUSED],
  ['https:\\\\', 'https:\\\\evil.example', REFUSED],
  ['a service with \\@', 'https://mail.example.org\\@evil.example', REFUSED],
  // Dot segments that normalise to "//" (the reported defect).
  ['/./ then /', '/.//evil.example', REFUSED],
  ['/../ then /', '/..//evil.example', REFUSED],
  ['/%2e/ then /', '/%2e//evil.example', REFUSED],
  ['/%2E%2E/ then /', '/%2E%2E//evil.example', REFUSED],
  ['/.%2e/ then /', '/.%2e//evil.example', REFUSED],
  ['/a/../ then /', '/a/..//evil.example', REFUSED],
  ['/a/../../ then /', '/a/../..//evil.example', REFUSED],
  ['several dot segments', '/./%2e/.//evil.example', REFUSED],
  ['Pforte by full address with //', 'https://sso.example.org//evil.example', REFUSED],
  ['Pforte by full address with /./ then /', 'https://sso.example.org/.//evil.example', REFUSED],
  // Encoded slashes and backslashes stay encoded: a path on Pforte.
  ['/%2f%2f', '/%2f%2fevil.example', '/%2f%2fevil.example'],
  ['/%2F/', '/%2F/evil.example', '/%2F/evil.example'],
  ['/%5c', '/%5cevil.example', '/%5cevil.example'],
  ['/%5c%5c', '/%5c%5cevil.example', '/%5c%5cevil.example'],
  ['an encoded ?', '/%3f//evil.example', '/%3f//evil.example'],
  ['an encoded #', '/%23//evil.example', '/%23//evil.example'],
  ['a path with an encoded ?', '/services%3F//evil.example', '/services%3F//evil.example'],
  ['an encoded tab', '/%09/evil.example', '/%09/evil.example'],
  ['an encoded CR LF (header injection)', '/%0d%0aSet-Cookie:x=1', '/%0d%0aSet-Cookie:x=1'],
  ['a space after /', '/ /evil.example', '/%20/evil.example'],
  ['a right-to-left override', '/\u202e/elpmaxe.live', '/%E2%80%AE/elpmaxe.live'],
  // Control characters, which browsers drop.
  ['a tab inside //', '/\t/evil.example', REFUSED],
  ['a newline inside //', '/\n/evil.example', REFUSED],
  ['CR LF inside //', '/\r\n/evil.example', REFUSED],
  ['a NUL', '\u0000//evil.example', REFUSED],
  ['a tab in the scheme', 'ht\ttps://evil.example', REFUSED],
  ['a leading space', ' //evil.example', REFUSED],
  // Absolute addresses of other hosts.
  ['http://', 'http://evil.example', REFUSED],
  ['https://', 'https://evil.example/', REFUSED],
  ['upper case', 'HTTPS://EVIL.EXAMPLE', REFUSED],
  ['https: without slashes', 'https:evil.example', REFUSED],
  ['https:/', 'https:/evil.example', REFUSED],
  ['https:///', 'https:///evil.example', REFUSED],
  ['a scheme downgrade of a service', 'http://mail.example.org/', REFUSED],
  ['a service on another port', 'https://mail.example.org:8443/', REFUSED],
  ['ftp: on a service host', 'ftp://mail.example.org/', REFUSED],
  ['a bare host name', 'evil.example', REFUSED],
  ['a service host without scheme', 'mail.example.org/inbox', REFUSED],
  ['a query only', '?//evil.example', REFUSED],
  ['a fragment only', '#//evil.example', REFUSED],
  // Userinfo.
  ['userinfo before another host', 'https://pforte@evil.example', REFUSED],
  ['a service as userinfo', 'https://mail.example.org@evil.example/', REFUSED],
  ['a service as userinfo with :', 'https://mail.example.org:@evil.example', REFUSED],
  ['a service as userinfo with %2f', 'https://mail.example.org%2f@evil.example', REFUSED],
  ['userinfo before a service', 'https://evil.example@mail.example.org/', REFUSED],
  ['user and password before a service', 'https://a:b@mail.example.org/', REFUSED],
  ['an encoded @ in the host', 'https://mail.example.org%40evil.example/', REFUSED],
  // Look-alike hosts and IDN.
  ['a service as a subdomain', 'https://mail.example.org.evil.example/', REFUSED],
  ['a service as a path', 'https://evil.example/mail.example.org', REFUSED],
  ['a service as a query', 'https://evil.example?mail.example.org', REFUSED],
  ['a service as a fragment', 'https://evil.example#mail.example.org', REFUSED],
  ['a Cyrillic а', 'https://mаil.example.org/', REFUSED],
  ['a Cyrillic е in the domain', 'https://mail.еxample.org/', REFUSED],
  ['an IP address', 'https://127.0.0.1/', REFUSED],
  ['a hexadecimal IP address', 'https://0x7f000001/', REFUSED],
  ['IPv6', 'https://[::1]/', REFUSED],
  ['ideographic full stops to another host', 'https://evil。example/', REFUSED],
  // Look-alikes that IDNA maps to a service: sent as the service's own name.
  [
    'ideographic full stops to a service',
    'https://mail。example。org/',
    'https://mail.example.org/',
  ],
  [
    'a circled letter mapping to a service',
    'https://ⓜail.example.org/',
    'https://mail.example.org/',
  ],
  // Script and data.
  ['javascript:', 'javascript:alert(1)', REFUSED],
  ['JavaScript: in mixed case', 'JaVaScRiPt:alert(1)', REFUSED],
  ['javascript:// with an encoded newline', 'javascript://%0aalert(1)', REFUSED],
  ['data:', 'data:text/html,<script>alert(1)</script>', REFUSED],
  ['DATA: base64', 'DATA:text/html;base64,PHNjcmlwdD4=', REFUSED],
  ['vbscript:', 'vbscript:msgbox(1)', REFUSED],
  ['blob:', 'blob:https://evil.example/1', REFUSED],
  // Length.
  ['the longest path taken', `/${'a'.repeat(1999)}`, `/${'a'.repeat(1999)}`],
  ['a path too long once encoded', `/${'€'.repeat(230)}`, REFUSED],
  ['an empty address', '', REFUSED],
];

/** The Location stays on Pforte as a path no browser reads as a host, or on a service. */
function expectSafeLocation(location: string): void {
  if (location.startsWith('/')) {
    expect(location).not.toMatch(/^\/[/\\]/);
    // A browser resolves it against the page it is on.
    expect(new URL(location, `${OWN}/login`).origin).toBe(OWN);
    return;
  }
  const target = new URL(location);
  expect(SERVICE_ORIGINS).toContain(target.origin);
  expect(target.username + target.password).toBe('');
}

/** A browser's cookie jar, enough for one host. */
class Browser {
  cookies = new Map<string, string>();
  constructor(private t: TestApp) {}
  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const response = await this.t.app.inject({
      method,
      url,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });
    for (const set of [response.headers['set-cookie'] ?? []].flat()) {
      const [name, value] = set.split(';')[0]!.split('=');
      if (value === '' || /Expires=Thu, 01 Jan 1970/.test(set)) this.cookies.delete(name!);
      else this.cookies.set(name!, value!);
    }
    return response;
  }
}

function csrfField(page: LightMyRequestResponse): string {
  return /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
}

describe.each(DATABASES)('return addresses of signed-in users on %s', (database) => {
  let t: TestApp;
  let token: TestToken;

  beforeAll(async () => {
    t = await makeApp(database, {
      PFORTE_PUBLIC_URL: OWN,
      PFORTE_PORTAL_SERVICES: JSON.stringify(SERVICES),
      PFORTE_RATE_LIMIT_PER_MINUTE: '100000',
    });
    token = await addUserWithToken(t.core, 'alice');
  });
  afterAll(() => t.close());

  it('covers at least 50 bypass forms', () => {
    expect(CASES.filter(([, , expected]) => expected === REFUSED).length).toBeGreaterThan(50);
  });

  it.each(CASES)('%s', async (_name, candidate, expected) => {
    const unit = allowedReturn(t.core.config, candidate);
    expect(unit ?? REFUSED).toBe(expected);

    // POST /login with the address in the form, after a successful sign-in.
    t.clock.advance(30_000); // a fresh time step: each sign-in needs its own passcode
    const browser = new Browser(t);
    const page = await browser.request('GET', '/login');
    const signedIn = await browser.request('POST', '/login', {
      _csrf: csrfField(page),
      username: 'alice',
      otp: token.code(),
      password: PASSWORD,
      return: candidate,
    });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe(expected);
    expectSafeLocation(signedIn.headers.location as string);

    // GET /login with that live session.
    const again = await browser.request('GET', `/login?return=${encodeURIComponent(candidate)}`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(expected);
    expectSafeLocation(again.headers.location as string);

    // /auth/signin, as a reverse proxy sends the browser there (header-safe values only).
    if (/^[\x20-\x7e]+$/.test(candidate)) {
      const proxied = await t.app.inject({
        method: 'GET',
        url: '/auth/signin',
        headers: { 'x-original-url': candidate },
      });
      expect(proxied.statusCode).toBe(302);
      const location = new URL(proxied.headers.location as string);
      expect(location.origin).toBe(OWN);
      expect(location.pathname).toBe('/login');
      expect(location.searchParams.get('return') ?? undefined).toBe(unit);
      // Followed with the session: the same place as above.
      const followed = await browser.request('GET', `${location.pathname}${location.search}`);
      expect(followed.headers.location).toBe(expected);
    }
  });
});
