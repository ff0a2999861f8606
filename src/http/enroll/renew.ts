/**
 * "Send me a new link" (`POST /enroll/<code>/renew`), the form on an expired link's page.
 * As for the other forms, the code in the path is the authority; the request counts
 * towards the per-address budget, the user's daily allowance is the core's
 * (enrollment/renew.ts). Whatever else arrives (another state, a body that is not a form,
 * a GET) gets a page and changes nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeEnrollmentCode } from '../../enrollment/lookup.js';
import { renewExpiredEnrollment } from '../../enrollment/renew.js';
import { PforteError } from '../../errors.js';
import type { Lang } from '../../text/i18n.js';
import type { EnrollKit } from './kit.js';
import {
  renderNewLinkLimitPage,
  renderNewLinkSentPage,
  renderUnreadableRequestPage,
} from './link-pages.js';

type WithCode = FastifyRequest<{ Params: { code: string } }>;

export function renewRoute(app: FastifyInstance, kit: EnrollKit): void {
  const { core, organisation, contact } = kit;

  // The form posts an empty URL-encoded body; anything else (JSON, say) is not this form.
  const onlyTheForm = async (request: FastifyRequest, reply: FastifyReply) => {
    const type = request.headers['content-type'];
    if (type === undefined || /^application\/x-www-form-urlencoded\b/i.test(type)) return;
    const lang = kit.languageOf(request, reply);
    return kit
      .headers(reply)
      .status(415)
      .send(renderUnreadableRequestPage({ lang, organisation, contact, here: kit.here(request) }));
  };

  app.post<{ Params: { code: string } }>(
    '/enroll/:code/renew',
    { onRequest: kit.spendOrWait, preHandler: onlyTheForm },
    async (request, reply) => {
      const standing = await describeEnrollmentCode(core, request.params.code);
      if (standing.state !== 'expired') return kit.closedLinkPage(request, reply, standing);
      const lang = kit.languageOf(request, reply, standing.user.lang);
      try {
        const renewed = await renewExpiredEnrollment(
          core,
          { face: 'web', address: request.ip },
          standing.code,
        );
        // No language switch: its link would open the old code, which no longer exists.
        return kit.headers(reply).send(
          renderNewLinkSentPage({
            lang,
            organisation,
            contact,
            maskedAddress: renewed.maskedAddress,
          }),
        );
      } catch (error) {
        if (!(error instanceof PforteError)) throw error;
        if (error.code === 'ERR_RATE_LIMITED') return limitPage(request, reply, lang, error);
        // Policy forbids it, or the link changed meanwhile: the page for what it is now.
        const now = await describeEnrollmentCode(core, request.params.code);
        return kit.closedLinkPage(request, reply, now);
      }
    },
  );

  // A reloaded or bookmarked form address: the link's own page, which says what to do.
  app.get<{ Params: { code: string } }>('/enroll/:code/renew', async (request, reply) =>
    reply.redirect(kit.here(request), 303),
  );

  function limitPage(request: WithCode, reply: FastifyReply, lang: Lang, error: PforteError) {
    const seconds = error.retryAfter ?? 86_400;
    return kit
      .headers(reply)
      .status(429)
      .header('Retry-After', String(seconds))
      .send(
        renderNewLinkLimitPage({ lang, organisation, contact, seconds, here: kit.here(request) }),
      );
  }
}
