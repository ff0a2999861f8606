/**
 * The portal's cookies. Over https they carry `Secure` and the `__Host-` prefix (bound
 * to this host and path `/`, not settable by a sibling subdomain: RFC 6265bis 4.1.3.2);
 * all are HttpOnly and SameSite=Lax (OWASP Session Management Cheat Sheet).
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Config } from '../../config/schema.js';
import { servedOverHttps } from '../shared/page-headers.js';

export interface PortalCookies {
  session: string;
  csrf: string;
  lang: string;
  /** Marks a browser its user signed in with: back-off by device (signin/known-clients.ts). */
  device: string;
  options: CookieSerializeOptions;
}

export function portalCookies(config: Readonly<Config>): PortalCookies {
  const secure = servedOverHttps(config);
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}pforte-session`,
    csrf: `${prefix}pforte-csrf`,
    lang: `${prefix}pforte-lang`,
    device: `${prefix}pforte-device`,
    options: { path: '/', httpOnly: true, sameSite: 'lax', secure },
  };
}
