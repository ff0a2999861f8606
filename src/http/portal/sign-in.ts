/**
 * Signing in on the portal: `GET /` and `/login` show the page of the help-desk
 * article, `POST /login` asks the core's one sign-in decision (face `portal`) and starts
 * a session. `takeSignInForm` is the interaction itself — form, CSRF, decision, answer
 * page, new session — so another face that needs a signed-in person (OpenID Connect)
 * uses it and decides only where the browser goes next.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PforteError } from '../../errors.js';
import { endSession, findLiveSession, startSession } from '../../sessions/sessions.js';
import { decideSignIn, type Decision } from '../../signin/decide.js';
import { DEVICE_MARK } from '../../signin/known-clients.js';
import { formatDateTime, messagesFor, type Lang } from '../../text/i18n.js';
import { PASSWORD_MAX, textLength, USERNAME_MAX } from '../../users/fields.js';
import { csrfHolds } from './csrf.js';
import type { PortalKit } from './kit.js';
import type { SignInPlace } from './pages.js';
import { allowedReturn } from './return-address.js';

/**
 * The longest value each field may have: the core's own limits for what it checks, and
 * room for spaces typed into a passcode. A longer field is not our form.
 */
const FIELD_LIMITS = {
  username: USERNAME_MAX,
  otp: 16,
  password: PASSWORD_MAX,
  _csrf: 200,
  return: 2000,
} as const;
type SignInForm = Record<keyof typeof FIELD_LIMITS, string>;

/** 400 days: the longest a browser keeps a cookie (RFC 6265bis 5.5). */
const DEVICE_COOKIE_AGE = 400 * 86_400;

/** The form's fields as strings within their limits, or undefined when it is not our form. */
function readSignInForm(body: unknown): SignInForm | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const fields = body as Record<string, unknown>;
  const form = {} as SignInForm;
  for (const [name, limit] of Object.entries(FIELD_LIMITS) as [keyof SignInForm, number][]) {
    const value = fields[name] ?? '';
    if (typeof value !== 'string' || textLength(value) > limit) return undefined;
    form[name] = value;
  }
  return form;
}

/**
 * The browser's device cookie, or a new one that becomes known if this sign-in is
 * accepted (OWASP "Slow Down Online Guessing Attacks with Device Cookies").
 */
function deviceOf(kit: PortalKit, request: FastifyRequest): string {
  const sent = request.cookies[kit.cookies.device];
  return sent && DEVICE_MARK.test(sent) ? sent : kit.core.random.bytes(32).toString('base64url');
}

/**
 * Takes a posted sign-in form: a refused one gets the sign-in page saying why (keeping
 * only the username); an accepted one gets a new session (the old one ended: no
 * fixation) and goes where `next` sends it, with the checked return address.
 */
export async function takeSignInForm(
  kit: PortalKit,
  request: FastifyRequest,
  reply: FastifyReply,
  next: (
    returnTo: string | undefined,
    accepted: { userId: string; serial: string | undefined },
  ) => FastifyReply | Promise<FastifyReply>,
  place?: SignInPlace,
): Promise<FastifyReply> {
  const { core, cookies } = kit;
  const lang = kit.languageOf(request, reply);
  const t = messagesFor(lang).portal;
  const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
    ? readSignInForm(request.body)
    : undefined;
  const bad = {
    message: { kind: 'alert' as const, text: t.badRequest },
    ...(place ? { place } : {}),
  };
  if (!form) return kit.signInPage(request, reply, 400, bad);
  if (!csrfHolds(request, cookies, form._csrf)) return kit.signInPage(request, reply, 403, bad);
  const returnTo = allowedReturn(core.config, form.return);
  const kept = {
    username: form.username,
    ...(returnTo ? { returnTo } : {}),
    ...(place ? { place } : {}),
  };

  const device = deviceOf(kit, request);
  let decision;
  try {
    decision = await decideSignIn(core, kit.caller(request), {
      username: form.username,
      password: form.password,
      otp: form.otp,
      clientAddress: request.ip,
      device,
    });
  } catch (error) {
    if (!(error instanceof PforteError)) throw error;
    // Input no sign-in can have (a malformed field): the same answer as a wrong one.
    return kit.signInPage(request, reply, 400, {
      ...kept,
      message: { kind: 'alert', text: t.failed },
    });
  }
  if (decision.unavailable) {
    return kit.signInPage(request, reply, 503, {
      ...kept,
      message: { kind: 'alert', text: t.unavailable },
    });
  }
  if (decision.result === 'reject') {
    const wait = decision.throttled ? decision.retryAfter : undefined;
    if (wait !== undefined) reply.header('Retry-After', String(wait));
    return kit.signInPage(request, reply, wait !== undefined ? 429 : 401, {
      ...kept,
      message: {
        kind: 'alert',
        text: wait !== undefined ? t.tryLater(wait) : refusalText(kit, lang, decision),
      },
    });
  }
  if (!decision.userId) throw new Error('an accepted sign-in without its user');
  await endSession(core, request.cookies[cookies.session]);
  reply.setCookie(
    cookies.session,
    await startSession(core, { id: decision.userId }, decision.serial),
    cookies.options,
  );
  reply.setCookie(cookies.device, device, { ...cookies.options, maxAge: DEVICE_COOKIE_AGE });
  return next(returnTo, { userId: decision.userId, serial: decision.serial });
}

/**
 * Why a sign-in was refused, as far as the person may know: the generic failure, unless
 * the decision has a hint for someone who proved the password (clock off, token locked).
 * The status stays 401 either way, so only the password's owner learns more.
 */
function refusalText(kit: PortalKit, lang: Lang, decision: Decision): string {
  const m = messagesFor(lang);
  if (decision.hint === 'clock_drift') return m.portal.clockDrift;
  if (decision.hint !== 'token_locked') return m.portal.failed;
  const until = decision.lockedUntil ? new Date(decision.lockedUntil) : null;
  const seconds = until ? (until.getTime() - kit.core.clock.now()) / 1000 : 0;
  return m.portal.tokenLocked(
    until ? { at: formatDateTime(until, lang), seconds } : null,
    kit.brand.contact || m.common.itDepartment,
  );
}

export function signInRoutes(kit: PortalKit) {
  const { core, cookies } = kit;
  const showSignIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>;
    const returnTo = allowedReturn(core.config, query.return);
    const session = await findLiveSession(core, request.cookies[cookies.session]);
    if (session) return reply.redirect(returnTo ?? '/services', 303);
    const t = messagesFor(kit.languageOf(request, reply)).portal;
    const message =
      query.signedout === '1'
        ? { kind: 'status' as const, text: t.signedOut }
        : query.expired === '1'
          ? { kind: 'status' as const, text: t.expired }
          : undefined;
    return kit.signInPage(request, reply, 200, {
      ...(returnTo ? { returnTo } : {}),
      ...(message ? { message } : {}),
    });
  };
  return (app: FastifyInstance) => {
    app.get('/', { schema: { hide: true } }, showSignIn);
    app.get('/login', { schema: { hide: true } }, showSignIn);
    app.post(
      '/login',
      {
        schema: { hide: true },
        config: { rateLimit: { max: core.config.rateLimit.perMinute, timeWindow: 60_000 } },
      },
      (request, reply) =>
        takeSignInForm(kit, request, reply, (returnTo) =>
          reply.redirect(returnTo ?? '/services', 303),
        ),
    );
  };
}
