/**
 * The sign-in portal: `GET /` and `/login` show the sign-in page, `POST /login` asks the
 * core's one sign-in decision (face `portal`), `GET /services` is the page behind it and
 * `POST /logout` ends the session. Every form carries a CSRF token (portal/csrf.ts);
 * every page is `no-store` under a strict
 * Content-Security-Policy. `GET /auth/check` answers reverse proxies (nginx
 * `auth_request`, Traefik ForwardAuth, Caddy `forward_auth`).
 */
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, Core } from '../../core.js';
import { PforteError } from '../../errors.js';
import { endSession, findLiveSession, startSession } from '../../sessions/sessions.js';
import { decideSignIn } from '../../signin/decide.js';
import { chooseLanguage, messagesFor, type Lang } from '../../text/i18n.js';
import { logFailure, sendError, toPforteError } from '../errors.js';
import { acceptForms } from '../forms.js';
import { renderServicesPage, renderSignInPage, type PortalBrand } from '../pages/portal.js';
import { SessionCheckAnswers, SignInRedirectAnswers } from '../schemas.js';
import { pageHeaders } from '../page-headers.js';
import { portalCookies } from '../portal/cookies.js';
import { csrfHolds, issueCsrfToken } from '../portal/csrf.js';
import { allowedReturn } from '../portal/return-address.js';

const FIELD_LIMITS = { username: 64, otp: 16, password: 1024, _csrf: 200, return: 2000 } as const;
type SignInForm = Record<keyof typeof FIELD_LIMITS, string>;
const DEVICE_COOKIE = /^[\w-]{43}$/;
/** 400 days: the longest a browser keeps a cookie (RFC 6265bis 5.5). */
const DEVICE_COOKIE_AGE = 400 * 86_400;

/** The form's fields as strings within their limits, or undefined when it is not our form. */
function readSignInForm(body: unknown): SignInForm | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const fields = body as Record<string, unknown>;
  const form = {} as SignInForm;
  for (const [name, limit] of Object.entries(FIELD_LIMITS) as [keyof SignInForm, number][]) {
    const value = fields[name] ?? '';
    if (typeof value !== 'string' || value.length > limit) return undefined;
    form[name] = value;
  }
  return form;
}

export function portalRoutes(core: Core): FastifyPluginAsync {
  const cookies = portalCookies(core.config);
  const headers = pageHeaders(core.config);
  const brand: PortalBrand = {
    name: core.config.portal.name,
    logoUrl: core.config.portal.logoUrl,
    contact: core.config.organisation.contact,
  };

  return async (app) => {
    await app.register(cookie);
    acceptForms(app);

    const caller = (request: FastifyRequest): Caller => ({
      face: 'portal',
      actor: 'portal',
      address: request.ip,
    });
    // The browser's device cookie, or a new one that becomes known if this sign-in is
    // accepted (OWASP "Slow Down Online Guessing Attacks with Device Cookies").
    const deviceOf = (request: FastifyRequest): string => {
      const sent = request.cookies[cookies.device];
      return sent && DEVICE_COOKIE.test(sent) ? sent : core.random.bytes(32).toString('base64url');
    };
    const languageOf = (request: FastifyRequest, reply: FastifyReply): Lang => {
      const asked = (request.query as { lang?: unknown }).lang;
      if (asked === 'de' || asked === 'en') {
        reply.setCookie(cookies.lang, asked, { ...cookies.options, maxAge: 365 * 86_400 });
        return asked;
      }
      return chooseLanguage(request.headers['accept-language'], request.cookies[cookies.lang]);
    };
    const page = (reply: FastifyReply, status: number, body: string) =>
      headers(reply).code(status).send(body);
    const signInPage = (
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      extra: {
        username?: string;
        returnTo?: string;
        message?: { kind: 'alert' | 'status'; text: string };
      },
    ) =>
      page(
        reply,
        status,
        renderSignInPage({
          lang: languageOf(request, reply),
          brand,
          csrfToken: issueCsrfToken(request, reply, cookies),
          ...extra,
        }),
      );

    // A form that cannot be taken (too large, too many from this address, unreadable),
    // or a database that does not answer, is answered with the sign-in page and what to
    // do, not with the API's JSON.
    app.setErrorHandler((raw, request, reply) => {
      const error = toPforteError(raw);
      logFailure(request, raw, error);
      const outage = error.code === 'ERR_DATABASE_UNAVAILABLE';
      if (error.status >= 500 && !outage) return sendError(reply, error);
      const t = messagesFor(languageOf(request, reply)).portal;
      if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
      const text = outage
        ? t.serviceUnavailable
        : error.status === 429
          ? t.tryLater(error.retryAfter ?? 60)
          : t.badRequest;
      return signInPage(request, reply, error.status, { message: { kind: 'alert', text } });
    });

    const showSignIn = async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as Record<string, unknown>;
      const returnTo = allowedReturn(core.config, query.return);
      const session = await findLiveSession(core, request.cookies[cookies.session]);
      if (session) return reply.redirect(returnTo ?? '/services', 303);
      const t = messagesFor(languageOf(request, reply)).portal;
      const message =
        query.signedout === '1'
          ? { kind: 'status' as const, text: t.signedOut }
          : query.expired === '1'
            ? { kind: 'status' as const, text: t.expired }
            : undefined;
      return signInPage(request, reply, 200, {
        ...(returnTo ? { returnTo } : {}),
        ...(message ? { message } : {}),
      });
    };
    app.get('/', { schema: { hide: true } }, showSignIn);
    app.get('/login', { schema: { hide: true } }, showSignIn);

    app.post(
      '/login',
      {
        schema: { hide: true },
        config: {
          rateLimit: { max: core.config.rateLimit.perMinute, timeWindow: 60_000 },
        },
      },
      async (request, reply) => {
        const t = messagesFor(languageOf(request, reply)).portal;
        const form = request.headers['content-type']?.startsWith(
          'application/x-www-form-urlencoded',
        )
          ? readSignInForm(request.body)
          : undefined;
        const bad = { message: { kind: 'alert' as const, text: t.badRequest } };
        if (!form) return signInPage(request, reply, 400, bad);
        if (!csrfHolds(request, cookies, form._csrf)) return signInPage(request, reply, 403, bad);
        const returnTo = allowedReturn(core.config, form.return);
        const kept = { username: form.username, ...(returnTo ? { returnTo } : {}) };

        const device = deviceOf(request);
        let decision;
        try {
          decision = await decideSignIn(core, caller(request), {
            username: form.username,
            password: form.password,
            otp: form.otp,
            clientAddress: request.ip,
            device,
          });
        } catch (error) {
          if (!(error instanceof PforteError)) throw error;
          // Input no sign-in can have (an overlong or malformed field): the same answer.
          return signInPage(request, reply, 400, {
            ...kept,
            message: { kind: 'alert', text: t.failed },
          });
        }
        if (decision.unavailable) {
          return signInPage(request, reply, 503, {
            ...kept,
            message: { kind: 'alert', text: t.unavailable },
          });
        }
        if (decision.result === 'reject') {
          const wait = decision.throttled ? decision.retryAfter : undefined;
          if (wait !== undefined) reply.header('Retry-After', String(wait));
          return signInPage(request, reply, wait !== undefined ? 429 : 401, {
            ...kept,
            message: { kind: 'alert', text: wait !== undefined ? t.tryLater(wait) : t.failed },
          });
        }
        if (!decision.userId) throw new Error('an accepted sign-in without its user');
        // A new session id at every sign-in, and the old one ended: no fixation.
        await endSession(core, request.cookies[cookies.session]);
        reply.setCookie(
          cookies.session,
          await startSession(core, { id: decision.userId }),
          cookies.options,
        );
        reply.setCookie(cookies.device, device, { ...cookies.options, maxAge: DEVICE_COOKIE_AGE });
        return reply.redirect(returnTo ?? '/services', 303);
      },
    );

    app.get('/services', { schema: { hide: true } }, async (request, reply) => {
      const token = request.cookies[cookies.session];
      const session = await findLiveSession(core, token);
      if (!session) {
        const expired = token ? '&expired=1' : '';
        reply.clearCookie(cookies.session, cookies.options);
        return reply.redirect(`/login?return=%2Fservices${expired}`, 303);
      }
      return page(
        reply,
        200,
        renderServicesPage({
          lang: languageOf(request, reply),
          brand,
          csrfToken: issueCsrfToken(request, reply, cookies),
          user: { username: session.user.username, displayName: session.user.display_name },
          services: core.config.portal.services,
        }),
      );
    });

    app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
      const token = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      if (typeof token !== 'string' || !csrfHolds(request, cookies, token)) {
        const t = messagesFor(languageOf(request, reply)).portal;
        return signInPage(request, reply, 403, { message: { kind: 'alert', text: t.badRequest } });
      }
      await endSession(core, request.cookies[cookies.session]);
      reply.clearCookie(cookies.session, cookies.options);
      return reply.redirect('/login?signedout=1', 303);
    });

    // Where a reverse proxy sends a browser without a session: to the sign-in page, with
    // the address it asked for (checked like every return address) to come back to.
    app.get(
      '/auth/signin',
      {
        schema: {
          operationId: 'redirectToSignIn',
          tags: ['forward-auth'],
          summary: 'Where a reverse proxy sends a browser without a session',
          description:
            'The address to return to comes from `X-Original-URL` (nginx), or `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-Uri` (Traefik, Caddy).',
          security: [],
          response: SignInRedirectAnswers,
        },
      },
      async (request, reply) => {
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        const forwarded =
          header('x-forwarded-host') && header('x-forwarded-uri')
            ? `${header('x-forwarded-proto') ?? 'https'}://${header('x-forwarded-host')}${header('x-forwarded-uri')}`
            : undefined;
        const returnTo = allowedReturn(core.config, header('x-original-url') ?? forwarded);
        const base = core.config.publicUrl.replace(/\/$/, '');
        const target = returnTo
          ? `${base}/login?return=${encodeURIComponent(returnTo)}`
          : `${base}/login`;
        return reply.header('Cache-Control', 'no-store').redirect(target, 302);
      },
    );

    // Reverse proxies ask here before they pass a request on (forward authentication).
    app.get(
      '/auth/check',
      {
        schema: {
          operationId: 'checkSession',
          tags: ['forward-auth'],
          summary: 'Does the browser have a live portal session?',
          description:
            "Reverse proxies ask here before they pass a request on, with the browser's cookies (the portal's session cookie is the credential).",
          security: [],
          response: SessionCheckAnswers,
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        const session = await findLiveSession(core, request.cookies[cookies.session]);
        if (!session) return reply.code(401).send();
        return (
          reply
            .header('X-Pforte-User', session.user.username)
            // Header values are ASCII: names and addresses travel percent-encoded (UTF-8).
            .header('X-Pforte-Name', encodeURIComponent(session.user.display_name))
            .header('X-Pforte-Email', encodeURIComponent(session.user.email))
            .code(200)
            .send()
        );
      },
    );
  };
}
