/**
 * What every enrollment page shares: the brand, the visitor's language (asked, remembered,
 * the user's own, or the browser's), the per-address budget, and the page for a link
 * that does not show the steps (expired, used, replaced, unknown). Made once per app;
 * the route groups (routes.ts, renew.ts) take it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { brandOf } from '../../config/brand.js';
import type { Core } from '../../context.js';
import type { CodeStanding } from '../../enrollment/lookup.js';
import { offersNewLink } from '../../enrollment/renew.js';
import type { Lang } from '../../text/i18n.js';
import type { EnrollmentBudget } from '../shared/enrollment-budget.js';
import { pageLanguage } from '../shared/language.js';
import { pageHeaders } from '../shared/page-headers.js';
import { portalCookies } from '../portal/cookies.js';
import { renderExpiredLinkPage, renderReplacedLinkPage, renderUsedLinkPage } from './link-pages.js';
import { renderInvalidCodePage, renderTooManyRequestsPage } from './page.js';

export interface EnrollKit {
  core: Core;
  organisation: string;
  contact: string;
  /** The public URL without its trailing slash: forms and links are absolute. */
  base: string;
  headers(reply: FastifyReply): FastifyReply;
  /** Needs @fastify/cookie in the calling plugin. `own`: the user's language, when known. */
  languageOf(request: FastifyRequest, reply: FastifyReply, own?: string): Lang;
  /** The GET address of the page for the code in the request's path, for the language switch. */
  here(request: FastifyRequest): string;
  /** onRequest: spends from the per-address budget, or answers with a page saying to wait. */
  spendOrWait(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** The page for a code that does not show the steps; an open one is sent to its page. */
  closedLinkPage(
    request: FastifyRequest,
    reply: FastifyReply,
    standing: CodeStanding,
  ): FastifyReply;
}

export function makeEnrollKit(core: Core, budget: EnrollmentBudget): EnrollKit {
  const headers = pageHeaders(core.config);
  const base = core.config.publicUrl.replace(/\/$/, '');
  const { name: organisation, contact, portalUrl } = brandOf(core.config);
  // The portal's language cookie: one remembered choice for all pages of this host.
  const cookies = portalCookies(core.config);
  const cookie = { name: cookies.lang, options: cookies.options };

  const languageOf = (request: FastifyRequest, reply: FastifyReply, own?: string) =>
    pageLanguage(request, reply, cookie, own);
  // As the visitor sent it (the template escapes it): the switch reopens the same address.
  const here = (request: FastifyRequest) => {
    const { code = '' } = request.params as { code?: string };
    return `${base}/enroll/${encodeURIComponent(code)}`;
  };

  return {
    core,
    organisation,
    contact,
    base,
    headers,
    languageOf,
    here,
    // Every page here takes a code, so each one spends from the per-address budget it
    // shares with the activation API; past it, a page that says how long to wait.
    async spendOrWait(request, reply) {
      const wait = await budget.spend(request, reply);
      if (wait === undefined) return undefined;
      const lang = languageOf(request, reply);
      return headers(reply)
        .status(429)
        .header('Retry-After', String(wait))
        .send(
          renderTooManyRequestsPage({
            lang,
            organisation,
            contact,
            seconds: wait,
            here: here(request),
          }),
        );
    },
    closedLinkPage(request, reply, standing) {
      if (standing.state === 'open') return reply.redirect(here(request), 303);
      const view = {
        lang: languageOf(
          request,
          reply,
          standing.state === 'unknown' || standing.state === 'cancelled'
            ? undefined // a cancelled link's page is the unknown one's, in every respect
            : standing.user.lang,
        ),
        organisation,
        contact,
        here: here(request),
      };
      // Each answers 404 as the invalid-link page always did: the link opens nothing,
      // whatever the page explains.
      const send = (page: string) => headers(reply).status(404).send(page);
      switch (standing.state) {
        case 'expired':
          return send(
            renderExpiredLinkPage({
              ...view,
              expiredAt: new Date(standing.enrollment.expires_at),
              ...(offersNewLink(core, standing.user)
                ? { renewAction: `${base}/enroll/${standing.code}/renew` }
                : {}),
            }),
          );
        case 'used':
          return send(
            renderUsedLinkPage({
              ...view,
              completed: standing.enrollment.state === 'done',
              portalUrl,
            }),
          );
        case 'replaced':
          return send(renderReplacedLinkPage(view));
        default:
          // Unknown, or cancelled with nothing newer: the page that says nothing more.
          return send(renderInvalidCodePage(view));
      }
    },
  };
}
