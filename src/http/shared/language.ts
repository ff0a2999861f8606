/**
 * The language of a page for people (portal, enrollment pages): the one the visitor asked
 * for with `?lang=` (then remembered by a cookie for a year), else the one remembered,
 * else the user's own when the page knows the user, else the browser's. One cookie for
 * every page, so a choice made on the enrollment page holds on the portal too.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../../text/html.js';
import { chooseLanguage, LANGUAGES, messagesFor, type Lang } from '../../text/i18n.js';

export interface LanguageCookie {
  name: string;
  options: CookieSerializeOptions;
}

const YEAR_S = 365 * 86_400;

/** Needs @fastify/cookie registered in the plugin that calls it. */
export function pageLanguage(
  request: FastifyRequest,
  reply: FastifyReply,
  cookie: LanguageCookie,
  own?: string,
): Lang {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (isLanguage(asked)) {
    reply.setCookie(cookie.name, asked, { ...cookie.options, maxAge: YEAR_S });
    return asked;
  }
  const remembered = request.cookies[cookie.name];
  return chooseLanguage(
    request.headers['accept-language'],
    isLanguage(remembered) ? remembered : own,
  );
}

/** The other language's link: the same page (`path`, a GET address), remembered by the cookie. */
export function languageSwitch(lang: Lang, path: string): SafeHtml {
  const other: Lang = lang === 'de' ? 'en' : 'de';
  const t = messagesFor(lang);
  const separator = path.includes('?') ? '&' : '?';
  return html`<p class="language">
    <a href="${path}${separator}lang=${other}" lang="${other}" hreflang="${other}"
      >${t.portal.otherLanguage}</a
    >
  </p>`;
}

function isLanguage(value: unknown): value is Lang {
  return (LANGUAGES as readonly unknown[]).includes(value);
}
