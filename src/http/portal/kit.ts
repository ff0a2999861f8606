/**
 * What every page of the portal shares: its cookies, the brand, the visitor's language
 * (asked, remembered, or from the browser), the page headers, and the sign-in page in
 * any state. Made once per app; each route group takes it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { brandOf } from '../../config/brand.js';
import type { Caller, Core } from '../../context.js';
import type { Lang } from '../../text/i18n.js';
import { pageLanguage } from '../shared/language.js';
import { pageHeaders } from '../shared/page-headers.js';
import { renderSignInPage, type PortalBrand, type SignInPlace } from './pages.js';
import { portalCookies, type PortalCookies } from './cookies.js';
import { issueCsrfToken } from './csrf.js';

export interface PortalMessage {
  kind: 'alert' | 'status';
  text: string;
}

export interface PortalKit {
  core: Core;
  cookies: PortalCookies;
  brand: PortalBrand;
  caller(request: FastifyRequest): Caller;
  languageOf(request: FastifyRequest, reply: FastifyReply): Lang;
  page(reply: FastifyReply, status: number, body: string): FastifyReply;
  signInPage(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: { username?: string; returnTo?: string; message?: PortalMessage; place?: SignInPlace },
  ): FastifyReply;
}

export function makePortalKit(core: Core): PortalKit {
  const cookies = portalCookies(core.config);
  const headers = pageHeaders(core.config);
  const { name, logoUrl, contact } = brandOf(core.config);
  const brand: PortalBrand = { name, logoUrl, contact };
  const languageOf = (request: FastifyRequest, reply: FastifyReply): Lang =>
    pageLanguage(request, reply, { name: cookies.lang, options: cookies.options });
  const page = (reply: FastifyReply, status: number, body: string) =>
    headers(reply).code(status).send(body);
  return {
    core,
    cookies,
    brand,
    caller: (request) => ({ face: 'portal', actor: 'portal', address: request.ip }),
    languageOf,
    page,
    signInPage: (request, reply, status, extra) =>
      (extra.place ? pageHeaders(core.config, { formOrigins: extra.place.formOrigins }) : headers)(
        reply,
      )
        .code(status)
        .send(
          renderSignInPage({
            lang: languageOf(request, reply),
            brand,
            csrfToken: issueCsrfToken(request, reply, cookies),
            ...extra,
          }),
        ),
  };
}
