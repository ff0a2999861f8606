/**
 * The headers of every server-rendered page (enrollment, help, portal): never cached
 * (they carry codes, CSRF tokens or who is signed in), no referrer, no framing, and a
 * Content-Security-Policy that allows only this server's own stylesheet, script and
 * images — `data:` for the QR codes drawn into the page, and the portal logo's host —
 * and no inline script. Over https, HSTS as well.
 */
import type { FastifyReply } from 'fastify';
import type { Config } from '../config/schema.js';

/** Whether users reach Pforte over https: secure cookies, HSTS. */
export function servedOverHttps(config: Readonly<Config>): boolean {
  return new URL(config.publicUrl).protocol === 'https:';
}

export type PageHeaders = (reply: FastifyReply) => FastifyReply;

export function pageHeaders(config: Readonly<Config>): PageHeaders {
  const logo = config.portal.logoUrl;
  const logoHost = logo.startsWith('https:') ? ` ${new URL(logo).origin}` : '';
  const policy = [
    "default-src 'none'",
    "style-src 'self'",
    "script-src 'self'",
    `img-src 'self' data:${logoHost}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const secure = servedOverHttps(config);
  return (reply) => {
    reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .header('X-Frame-Options', 'DENY')
      .header('Content-Security-Policy', policy);
    if (secure) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    return reply;
  };
}
