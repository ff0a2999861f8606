/**
 * What every console page shares: the operator of the request (signed in through the
 * portal, allowed by `checkConsoleAccess`, holding the permission the page needs), the
 * frame around each page, the pages that refuse, and forms read with their CSRF token
 * checked. Made once per app from the portal's kit: the same cookies, brand and language.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, Core } from '../../context.js';
import { checkConsoleAccess } from '../../sessions/console-access.js';
import { endSession, findLiveSession } from '../../sessions/sessions.js';
import type { UserRow } from '../../store/tables.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { mayDo, type Permission, type Role } from '../../users/roles.js';
import { textLength } from '../../users/fields.js';
import { pageHeaders } from '../shared/page-headers.js';
import { csrfHolds, issueCsrfToken } from '../portal/csrf.js';
import type { PortalKit } from '../portal/kit.js';
import { renderFrame, type Section } from './layout.js';

export interface Operator {
  user: UserRow;
  role: Role;
  lang: Lang;
  /** For this page's forms. */
  csrfToken: string;
  /** How the core sees the operator: face `console`, the operator's username, the address. */
  caller: Caller;
  /** This page's address (path and query), for links back to it. */
  path: string;
  may(permission: Permission): boolean;
}

export interface PageContent {
  title: string;
  section?: Section;
  body: SafeHtml;
}

export interface ConsoleKit {
  core: Core;
  portal: PortalKit;
  /**
   * The operator of this request if they may do `needs`; otherwise the answer is sent
   * (the sign-in page, or a page saying why not) and the result is undefined.
   */
  operator(
    request: FastifyRequest,
    reply: FastifyReply,
    needs: Permission,
  ): Promise<Operator | undefined>;
  page(reply: FastifyReply, operator: Operator, status: number, content: PageContent): FastifyReply;
  /** A page that says why nothing was done, in the frame when the operator is known. */
  refusal(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    text: { title: string; message: string },
  ): FastifyReply;
  /**
   * A posted form's fields (each a string within its limit; other fields refused) with
   * its CSRF token checked; otherwise the refusal is sent and the result is undefined.
   */
  form<F extends string>(
    request: FastifyRequest,
    reply: FastifyReply,
    limits: Record<F, number>,
  ): Record<F, string> | undefined;
}

/** The operator a request was resolved to, for the error handler's page. */
const operators = new WeakMap<FastifyRequest, Operator>();

export function operatorOf(request: FastifyRequest): Operator | undefined {
  return operators.get(request);
}

export function makeConsoleKit(core: Core, portal: PortalKit): ConsoleKit {
  const headers = pageHeaders(core.config, { fetchSelf: true });
  const { cookies } = portal;

  const toSignIn = (request: FastifyRequest, reply: FastifyReply, expired: boolean) => {
    reply.clearCookie(cookies.session, cookies.options);
    const back = request.method === 'GET' ? request.url : '/admin/';
    return reply.redirect(
      `/login?return=${encodeURIComponent(back)}${expired ? '&expired=1' : ''}`,
      303,
    );
  };

  const frame = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    content: PageContent,
    operator: Operator | undefined,
  ) => {
    const lang = operator?.lang ?? portal.languageOf(request, reply);
    return headers(reply)
      .code(status)
      .send(
        renderFrame({
          lang,
          brand: portal.brand,
          title: content.title,
          ...(content.section ? { section: content.section } : {}),
          ...(operator
            ? {
                operator: {
                  username: operator.user.username,
                  displayName: operator.user.display_name,
                  role: operator.role,
                },
              }
            : {}),
          csrfToken: operator?.csrfToken ?? issueCsrfToken(request, reply, cookies),
          path: request.url,
          body: content.body,
        }),
      );
  };

  const refusal: ConsoleKit['refusal'] = (request, reply, status, text) =>
    frame(
      request,
      reply,
      status,
      {
        title: text.title,
        body: html`<h1>${text.title}</h1>
          <p class="alert" role="alert">${text.message}</p>`,
      },
      operators.get(request),
    );

  return {
    core,
    portal,
    async operator(request, reply, needs) {
      const token = request.cookies[cookies.session];
      const session = await findLiveSession(core, token);
      if (!session) {
        toSignIn(request, reply, Boolean(token));
        return undefined;
      }
      const lang = portal.languageOf(request, reply);
      const t = chromeTexts[lang];
      const access = await checkConsoleAccess(core, session);
      if (!access.allowed && access.why !== 'no_role') {
        await endSession(core, token);
        toSignIn(request, reply, true);
        return undefined;
      }
      const csrfToken = issueCsrfToken(request, reply, cookies);
      if (!access.allowed) {
        frame(
          request,
          reply,
          403,
          {
            title: t.noRoleTitle,
            body: html`<h1>${t.noRoleTitle}</h1>
              <p class="alert" role="alert">${t.noRole(session.user.username)}</p>
              <p><a class="button" href="/services">${t.toPortal}</a></p>`,
          },
          undefined,
        );
        return undefined;
      }
      const role = access.role;
      const operator: Operator = {
        user: session.user,
        role,
        lang,
        csrfToken,
        caller: { face: 'console', actor: session.user.username, address: request.ip },
        path: request.url,
        may: (permission) => mayDo(role, permission),
      };
      operators.set(request, operator);
      if (!operator.may(needs)) {
        refusal(request, reply, 403, { title: t.forbiddenTitle, message: t.forbidden });
        return undefined;
      }
      return operator;
    },
    page: (reply, operator, status, content) =>
      frame(reply.request, reply, status, content, operator),
    refusal,
    form<F extends string>(
      request: FastifyRequest,
      reply: FastifyReply,
      limits: Record<F, number>,
    ): Record<F, string> | undefined {
      const t = chromeTexts[operators.get(request)?.lang ?? portal.languageOf(request, reply)];
      const body = request.body;
      const bad = (status: number) => {
        refusal(request, reply, status, { title: t.errorTitle, message: t.badForm });
        return undefined;
      };
      if (
        !request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ||
        !body ||
        typeof body !== 'object'
      ) {
        return bad(400);
      }
      const fields = body as Record<string, unknown>;
      if (typeof fields._csrf !== 'string' || !csrfHolds(request, cookies, fields._csrf)) {
        return bad(403);
      }
      const form = {} as Record<string, string>;
      for (const [name, value] of Object.entries(fields)) {
        if (name === '_csrf') continue;
        const limit = (limits as Record<string, number>)[name];
        if (limit === undefined || typeof value !== 'string' || textLength(value) > limit) {
          return bad(400);
        }
        form[name] = value;
      }
      for (const name of Object.keys(limits)) form[name] ??= '';
      return form as Record<F, string>;
    },
  };
}
