/**
 * The enrollment pages users reach from the e-mail: `GET /enroll/<code>` explains the
 * steps for the device it is opened on and hands the code to the authenticator; the
 * standard-app path (`POST /enroll/<code>/standard…`) shows an otpauth:// QR code and
 * takes one passcode; a link that no longer shows the steps says why and what to do
 * (kit.ts), an expired one offers a new link (renew.ts). Opening the page never spends
 * the code (mail scanners open links too). The code is the authority for the forms, so
 * a forged form cannot post without it. Each of these pages counts towards the
 * per-address budget of the activation API (enrollment-budget.ts). Every page is in the
 * visitor's language and has a switch to the other one.
 */
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, Core } from '../../context.js';
import { groupActivationCode } from '../../protocol/code.js';
import { enrollmentLink } from '../../enrollment/enrollments.js';
import { describeEnrollmentCode } from '../../enrollment/lookup.js';
import {
  confirmStandardActivation,
  describeStandardActivation,
  startStandardActivation,
  type StandardAppOffer,
} from '../../enrollment/standard-app.js';
import { PforteError } from '../../errors.js';
import type { Lang } from '../../text/i18n.js';
import { type EnrollmentBudget } from '../shared/enrollment-budget.js';
import { logFailure, sendError, toPforteError } from '../shared/errors.js';
import { acceptForms } from '../shared/forms.js';
import { detectDevice } from './device.js';
import { makeEnrollKit } from './kit.js';
import { renderUnreadableRequestPage } from './link-pages.js';
import {
  renderEnrollmentDonePage,
  renderEnrollmentPage,
  renderInvalidCodePage,
  renderStandardAppPage,
  renderTooManyRequestsPage,
} from './page.js';
import { renewRoute } from './renew.js';

export function enrollPageRoutes(core: Core, budget: EnrollmentBudget): FastifyPluginAsync {
  const kit = makeEnrollKit(core, budget);
  const { base, organisation, contact, headers, languageOf, here, spendOrWait } = kit;
  return async (app) => {
    await app.register(cookie);
    acceptForms(app);
    // A form these pages cannot read (too large, not a form) gets a page in the
    // visitor's language, not the API's JSON; a fault of the server stays a 500.
    app.setErrorHandler((raw, request, reply) => {
      const error = toPforteError(raw);
      logFailure(request, raw, error);
      if (error.status >= 500) return sendError(reply, error);
      const view = { lang: languageOf(request, reply), organisation, contact, here: here(request) };
      if (error.retryAfter !== undefined) {
        return headers(reply)
          .status(error.status)
          .header('Retry-After', String(error.retryAfter))
          .send(renderTooManyRequestsPage({ ...view, seconds: error.retryAfter }));
      }
      return headers(reply).status(error.status).send(renderUnreadableRequestPage(view));
    });
    const caller = (request: FastifyRequest): Caller => ({
      face: 'web',
      actor: 'enrollment-page',
      address: request.ip,
    });
    /** The otpauth QR code and the form that takes one passcode (again, after a wrong one). */
    const standardAppPage = (
      request: FastifyRequest,
      lang: Lang,
      code: string,
      offer: StandardAppOffer,
      error?: 'wrong_code',
    ) =>
      renderStandardAppPage({
        lang,
        organisation,
        here: here(request),
        otpauthUri: offer.otpauthUri,
        secretGroups: offer.secret.match(/.{1,4}/g)!.join(' '),
        confirmAction: `${base}/enroll/${code}/standard/${offer.activationId}`,
        ...(error ? { error } : {}),
      });
    const invalidPage = (request: FastifyRequest, reply: FastifyReply) =>
      headers(reply)
        .status(404)
        .send(
          renderInvalidCodePage({
            lang: languageOf(request, reply),
            organisation,
            contact,
            here: here(request),
          }),
        );

    app.get<{ Params: { code: string } }>(
      '/enroll/:code',
      { onRequest: spendOrWait },
      async (request, reply) => {
        const standing = await describeEnrollmentCode(core, request.params.code);
        if (standing.state !== 'open') return kit.closedLinkPage(request, reply, standing);
        const { code, user, enrollment } = standing;
        const page = await renderEnrollmentPage({
          lang: languageOf(request, reply, user.lang),
          organisation,
          contact,
          here: here(request),
          displayName: user.display_name,
          codeGroups: groupActivationCode(code),
          pageUrl: enrollmentLink(core, code),
          appUrl: `${base}/app/#enroll=${code}`,
          expiresAt: new Date(enrollment.expires_at),
          device: detectDevice(request.headers['user-agent']),
          ...(core.config.enrollment.allowStandardApps
            ? { standardAppAction: `${base}/enroll/${code}/standard` }
            : {}),
          helpUrls: { android: `${base}/help/android`, iphone: `${base}/help/iphone` },
        });
        return headers(reply).send(page);
      },
    );

    app.post<{ Params: { code: string } }>(
      '/enroll/:code/standard',
      { onRequest: spendOrWait },
      async (request, reply) => {
        const found = await describeEnrollmentCode(core, request.params.code);
        if (found.state !== 'open') return kit.closedLinkPage(request, reply, found);
        if (!core.config.enrollment.allowStandardApps) return invalidPage(request, reply);
        try {
          const offer = await startStandardActivation(core, caller(request), found.code);
          const lang = languageOf(request, reply, found.user.lang);
          return headers(reply).send(await standardAppPage(request, lang, found.code, offer));
        } catch (error) {
          if (error instanceof PforteError && error.status === 404)
            return invalidPage(request, reply);
          throw error;
        }
      },
    );

    app.post<{ Params: { code: string; activationId: string }; Body: { otp?: unknown } }>(
      '/enroll/:code/standard/:activationId',
      { onRequest: spendOrWait },
      async (request, reply) => {
        const found = await describeEnrollmentCode(core, request.params.code);
        if (found.state !== 'open') return kit.closedLinkPage(request, reply, found);
        const lang = languageOf(request, reply, found.user.lang);
        const otp = typeof request.body?.otp === 'string' ? request.body.otp.trim() : '';
        try {
          await confirmStandardActivation(
            core,
            caller(request),
            request.params.activationId,
            found.enrollment.id,
            otp,
          );
          return headers(reply).send(
            renderEnrollmentDonePage({ lang, organisation, contact, here: here(request) }),
          );
        } catch (error) {
          if (!(error instanceof PforteError)) throw error;
          if (error.code !== 'ERR_ACTIVATION_PROOF' && error.code !== 'ERR_VALIDATION') {
            return invalidPage(request, reply);
          }
          const offer = await describeStandardActivation(
            core,
            request.params.activationId,
            found.enrollment.id,
          ).catch(() => undefined);
          if (!offer) return invalidPage(request, reply);
          return headers(reply)
            .status(400)
            .send(await standardAppPage(request, lang, found.code, offer, 'wrong_code'));
        }
      },
    );

    renewRoute(app, kit);
  };
}
