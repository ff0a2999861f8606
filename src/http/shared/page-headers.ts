/**
 * The headers of every server-rendered page (enrollment, help, portal): never cached
 * (they carry codes, CSRF tokens or who is signed in), no referrer, no framing, and a
 * Content-Security-Policy that allows only this server's own stylesheet, script and
 * images — `data:` for the QR codes drawn into the page, and the portal logo's host —
 * and no inline script; no powerful browser feature (camera, microphone, location, …)
 * and a browsing context of their own (Cross-Origin-Opener-Policy), so a window that
 * opened a page cannot reach into it. HSTS is no page header: over https every answer
 * carries it (`transportSecurity`, sent by the app for redirects and the API too).
 */
import type { FastifyReply } from 'fastify';
import type { Config } from '../../config/schema.js';

/** Whether users reach Pforte over https: secure cookies, HSTS. */
export function servedOverHttps(config: Readonly<Config>): boolean {
  return new URL(config.publicUrl).protocol === 'https:';
}

/** The Strict-Transport-Security value for every answer, when users come over https. */
export function transportSecurity(config: Readonly<Config>): string | undefined {
  return servedOverHttps(config) ? 'max-age=31536000; includeSubDomains' : undefined;
}

/**
 * Browser features a page may ask for: none of these, unless `allowed` names one for
 * this origin (the authenticator app's camera, for the QR code). Clipboard access is
 * left to the browser's own prompt: the pages' copy buttons need it.
 */
const FEATURES = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
] as const;

/** A Permissions-Policy value denying every feature of the list but those `allowed` to this origin. */
export function permissionsPolicy(allowed: readonly (typeof FEATURES)[number][] = []): string {
  return FEATURES.map((f) => `${f}=${allowed.includes(f) ? '(self)' : '()'}`).join(', ');
}

export type PageHeaders = (reply: FastifyReply) => FastifyReply;

/**
 * `fetchSelf`: the page's script may ask this server for data (the console's progress
 * bar); every other page's script fetches nothing. `formOrigins`: where the answer to
 * the page's form may redirect besides this server (an OpenID sign-in ends at the
 * service's redirect_uri, and browsers hold redirects after a form to form-action).
 */
export function pageHeaders(
  config: Readonly<Config>,
  options: PageHeaderOptions = {},
): PageHeaders {
  const values = pageHeaderValues(config, options);
  return (reply) => reply.headers(values);
}

export interface PageHeaderOptions {
  fetchSelf?: boolean;
  formOrigins?: readonly string[];
}

/** The same headers as a plain object, for pages written outside Fastify (oidc-provider's). */
export function pageHeaderValues(
  config: Readonly<Config>,
  options: PageHeaderOptions = {},
): Record<string, string> {
  const logo = config.portal.logoUrl;
  const logoHost = logo.startsWith('https:') ? ` ${new URL(logo).origin}` : '';
  const policy = [
    "default-src 'none'",
    "style-src 'self'",
    "script-src 'self'",
    ...(options.fetchSelf ? ["connect-src 'self'"] : []),
    `img-src 'self' data:${logoHost}`,
    ["form-action 'self'", ...(options.formOrigins ?? [])].join(' '),
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': policy,
    'Permissions-Policy': permissionsPolicy(),
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
