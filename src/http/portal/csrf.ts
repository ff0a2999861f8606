/**
 * CSRF protection for the portal's forms (OWASP CSRF Prevention Cheat Sheet, "signed
 * double-submit cookie"): a secret in an HttpOnly cookie, and in each form a token made
 * from it (@fastify/csrf, salted, compared in constant time). A cross-site form can
 * neither read the cookie nor make a token, and SameSite=Lax keeps the cookie off
 * cross-site posts as well.
 */
import csrf from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PortalCookies } from './cookies.js';

const tokens = new csrf.Tokens({ userInfo: false });

/** A token for the next form; sets the secret cookie when the browser has none. */
export function issueCsrfToken(
  request: FastifyRequest,
  reply: FastifyReply,
  cookies: PortalCookies,
): string {
  const known = request.cookies[cookies.csrf];
  if (known && known.length <= 100) return tokens.create(known);
  const secret = tokens.secretSync();
  reply.setCookie(cookies.csrf, secret, cookies.options);
  // Later forms in this response's page see the same secret.
  request.cookies[cookies.csrf] = secret;
  return tokens.create(secret);
}

/** Whether the form's token was made from the browser's secret cookie. */
export function csrfHolds(request: FastifyRequest, cookies: PortalCookies, token: string): boolean {
  const secret = request.cookies[cookies.csrf];
  if (!secret || !token || secret.length > 100) return false;
  return tokens.verify(secret, token);
}
