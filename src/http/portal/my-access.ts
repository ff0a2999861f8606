/**
 * "Mein Zugang" (My access) behind the sign-in: `GET /access` shows the user's tokens,
 * an open set-up link and a temporary code; `POST /access/new-phone` mails a new
 * set-up link; `GET /access/lost-phone` asks, `POST /access/lost-phone` revokes.
 *
 * Every action needs the session and the form's CSRF token, and is the user's own
 * (`selfCaller`: the audit log names them). Limits: per address, the route's rate limit
 * like sign-in; per user, the daily allowance of self-service links. A form that is
 * not ours changes nothing and gets a page saying so, never a 500.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { selfCaller } from '../../enrollment/self-service.js';
import { PforteError } from '../../errors.js';
import { findLiveSession, type Session } from '../../sessions/sessions.js';
import { formatDateTime, messagesFor } from '../../text/i18n.js';
import { portalAccessTexts } from '../../text/portal-access.js';
import { hasWorkingToken, readOwnAccess } from '../../users/own-access.js';
import { reportLostPhone, startNewPhone } from '../../users/phone-change.js';
import { logFailure, sendError, toPforteError } from '../shared/errors.js';
import { csrfHolds, issueCsrfToken } from './csrf.js';
import type { PortalKit } from './kit.js';
import {
  renderAccessPage,
  renderAccessResult,
  renderLostPhoneConfirm,
  renderLostPhoneDone,
} from './my-access-pages.js';

const CSRF_MAX = 200;

export function myAccessRoutes(kit: PortalKit): FastifyPluginAsync {
  const { core, cookies } = kit;
  const config = core.config;
  const limited = {
    schema: { hide: true },
    config: { rateLimit: { max: config.rateLimit.perMinute, timeWindow: 60_000 } },
  };

  /** What every page takes: the language, the brand and a CSRF token for its forms. */
  const base = (request: FastifyRequest, reply: FastifyReply) => ({
    lang: kit.languageOf(request, reply),
    brand: kit.brand,
    csrfToken: issueCsrfToken(request, reply, cookies),
  });

  /** The live session, or the sign-in page (coming back here) and undefined. */
  const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies[cookies.session];
    const session = await findLiveSession(core, token);
    if (session) return session;
    reply.clearCookie(cookies.session, cookies.options);
    void reply.redirect(`/login?return=%2Faccess${token ? '&expired=1' : ''}`, 303);
    return undefined;
  };

  /** A posted form of ours with a CSRF token made for this browser, else the page why not. */
  const formHolds = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const urlencoded = request.headers['content-type']?.startsWith(
      'application/x-www-form-urlencoded',
    );
    const body = urlencoded ? (request.body as Record<string, unknown> | undefined) : undefined;
    const token = body?._csrf;
    const ours = typeof token === 'string' && token.length <= CSRF_MAX;
    if (ours && csrfHolds(request, cookies, token)) return true;
    const v = base(request, reply);
    const a = portalAccessTexts[v.lang];
    void kit.page(
      reply,
      ours ? 403 : 400,
      renderAccessResult(v, a.title, { kind: 'alert', text: a.badForm }),
    );
    return false;
  };

  const showAccess = async (request: FastifyRequest, reply: FastifyReply, session: Session) =>
    kit.page(
      reply,
      200,
      renderAccessPage({
        ...base(request, reply),
        access: await readOwnAccess(core, session.user),
        selfService: config.enrollment.selfService,
      }),
    );

  return async (app) => {
    // Failures the routes do not answer themselves (a form too large, too many requests
    // from this address, a database away) get a page of this wing, not the API's JSON.
    app.setErrorHandler((raw, request, reply) => {
      const error = toPforteError(raw);
      logFailure(request, raw, error);
      const outage = error.code === 'ERR_DATABASE_UNAVAILABLE';
      if (error.status >= 500 && !outage) return sendError(reply, error);
      const v = base(request, reply);
      const t = messagesFor(v.lang).portal;
      const a = portalAccessTexts[v.lang];
      if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
      const text = outage
        ? t.serviceUnavailable
        : error.status === 429
          ? t.tryLater(error.retryAfter ?? 60)
          : a.badForm;
      return kit.page(reply, error.status, renderAccessResult(v, a.title, { kind: 'alert', text }));
    });

    app.get('/access', { schema: { hide: true } }, async (request, reply) => {
      const session = await signedIn(request, reply);
      return session ? showAccess(request, reply, session) : reply;
    });

    app.post('/access/new-phone', limited, async (request, reply) => {
      const session = await signedIn(request, reply);
      if (!session || !formHolds(request, reply)) return reply;
      const v = base(request, reply);
      const a = portalAccessTexts[v.lang];
      const who = kit.brand.contact || messagesFor(v.lang).common.itDepartment;
      const refused = (status: number, text: string) =>
        kit.page(reply, status, renderAccessResult(v, a.newPhoneHeading, { kind: 'alert', text }));
      const hadWorkingToken = await hasWorkingToken(core, session.user);
      let result;
      try {
        result = await startNewPhone(
          core,
          selfCaller(session.user, 'portal', request.ip),
          session.user,
        );
      } catch (error) {
        if (!(error instanceof PforteError)) throw error;
        if (error.code === 'ERR_FORBIDDEN') return refused(403, a.selfServiceOff(who));
        if (error.code !== 'ERR_RATE_LIMITED') throw error;
        const wait = error.retryAfter ?? 86_400;
        reply.header('Retry-After', String(wait));
        return refused(429, a.tooMany(wait));
      }
      if (!result.sent) return refused(409, a.noAddress(who));
      return kit.page(
        reply,
        200,
        renderAccessResult(
          v,
          a.sentTitle,
          {
            kind: 'status',
            text: a.sent(result.maskedAddress, formatDateTime(new Date(result.expiresAt), v.lang)),
          },
          hadWorkingToken ? [a.oldPhoneKeepsWorking] : [],
        ),
      );
    });

    app.get('/access/lost-phone', { schema: { hide: true } }, async (request, reply) => {
      const session = await signedIn(request, reply);
      if (!session) return reply;
      const { tokens } = await readOwnAccess(core, session.user);
      return kit.page(
        reply,
        200,
        renderLostPhoneConfirm({ ...base(request, reply), tokens: tokens.length }),
      );
    });

    app.post('/access/lost-phone', limited, async (request, reply) => {
      const session = await signedIn(request, reply);
      if (!session || !formHolds(request, reply)) return reply;
      const caller = selfCaller(session.user, 'portal', request.ip);
      // The session stays: the user goes on to set up the new phone in it.
      const { revoked, noticeMailed } = await reportLostPhone(core, caller, session.user);
      return kit.page(
        reply,
        200,
        renderLostPhoneDone({
          ...base(request, reply),
          revoked: revoked.length,
          noticeMailed,
          temporaryAccess: config.temporaryAccess.enabled,
          selfService: config.enrollment.selfService,
        }),
      );
    });
  };
}
