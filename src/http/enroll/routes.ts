/**
 * The enrollment pages users reach from the e-mail: `GET /enroll/<code>` explains the
 * steps for the device it is opened on and hands the code to the authenticator; the
 * standard-app path (`POST /enroll/<code>/standard…`) shows an otpauth:// QR code and
 * takes one passcode. Opening the page never spends the code (mail scanners open
 * links too). The code is the authority for the forms, so a forged form cannot
 * post without it. Each of these pages counts towards the per-address budget of the
 * activation API (enrollment-budget.ts).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, Core } from '../../context.js';
import { groupActivationCode } from '../../protocol/code.js';
import { enrollmentLink } from '../../enrollment/enrollments.js';
import { findOpenEnrollment } from '../../enrollment/lookup.js';
import {
  confirmStandardActivation,
  describeStandardActivation,
  startStandardActivation,
  type StandardAppOffer,
} from '../../enrollment/standard-app.js';
import { PforteError } from '../../errors.js';
import { chooseLanguage, type Lang } from '../../text/i18n.js';
import { type EnrollmentBudget } from '../shared/enrollment-budget.js';
import { acceptForms } from '../shared/forms.js';
import { pageHeaders } from '../shared/page-headers.js';
import { detectDevice } from './device.js';
import {
  renderEnrollmentDonePage,
  renderEnrollmentPage,
  renderInvalidCodePage,
  renderStandardAppPage,
  renderTooManyRequestsPage,
} from './page.js';

export function enrollPageRoutes(core: Core, budget: EnrollmentBudget): FastifyPluginAsync {
  const headers = pageHeaders(core.config);
  return async (app) => {
    acceptForms(app);
    const base = core.config.publicUrl.replace(/\/$/, '');
    const { name: organisation, contact } = core.config.organisation;
    const caller = (request: FastifyRequest): Caller => ({
      face: 'web',
      actor: 'enrollment-page',
      address: request.ip,
    });
    const languageOf = (request: FastifyRequest, preferred?: string): Lang =>
      chooseLanguage(request.headers['accept-language'], preferred);
    /** The otpauth QR code and the form that takes one passcode (again, after a wrong one). */
    const standardAppPage = (
      lang: Lang,
      code: string,
      offer: StandardAppOffer,
      error?: 'wrong_code',
    ) =>
      renderStandardAppPage({
        lang,
        organisation,
        otpauthUri: offer.otpauthUri,
        secretGroups: offer.secret.match(/.{1,4}/g)!.join(' '),
        confirmAction: `${base}/enroll/${code}/standard/${offer.activationId}`,
        ...(error ? { error } : {}),
      });
    const invalidPage = (request: FastifyRequest, reply: FastifyReply) =>
      headers(reply)
        .status(404)
        .send(renderInvalidCodePage({ lang: languageOf(request), organisation, contact }));
    // Every page here takes a code, so each one spends from the per-address budget it
    // shares with the activation API; past it, a page that says how long to wait.
    const spendOrWait = async (request: FastifyRequest, reply: FastifyReply) => {
      const wait = await budget.spend(request, reply);
      if (wait === undefined) return;
      const lang = languageOf(request);
      return headers(reply)
        .status(429)
        .header('Retry-After', String(wait))
        .send(renderTooManyRequestsPage({ lang, organisation, contact, seconds: wait }));
    };

    app.get<{ Params: { code: string } }>(
      '/enroll/:code',
      { onRequest: spendOrWait },
      async (request, reply) => {
        const found = await findOpenEnrollment(core, request.params.code);
        if (!found) return invalidPage(request, reply);
        const { code, user, enrollment } = found;
        const page = await renderEnrollmentPage({
          lang: languageOf(request, user.lang),
          organisation,
          contact,
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
        const found = await findOpenEnrollment(core, request.params.code);
        if (!found || !core.config.enrollment.allowStandardApps) return invalidPage(request, reply);
        try {
          const offer = await startStandardActivation(core, caller(request), found.code);
          return headers(reply).send(
            await standardAppPage(languageOf(request, found.user.lang), found.code, offer),
          );
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
        const found = await findOpenEnrollment(core, request.params.code);
        if (!found) return invalidPage(request, reply);
        const lang = languageOf(request, found.user.lang);
        const otp = typeof request.body?.otp === 'string' ? request.body.otp.trim() : '';
        try {
          await confirmStandardActivation(
            core,
            caller(request),
            request.params.activationId,
            found.enrollment.id,
            otp,
          );
          return headers(reply).send(renderEnrollmentDonePage({ lang, organisation, contact }));
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
            .send(await standardAppPage(lang, found.code, offer, 'wrong_code'));
        }
      },
    );
  };
}
