/**
 * The console's frame: the brand, who is signed in (with sign-out and the other
 * language), the sections this operator's role may open, and the page. Server-rendered
 * like the portal, two stylesheets and two deferred scripts from `/assets/`, nothing inline.
 */
import { chromeTexts } from '../../text/console/chrome.js';
import { checkURL, html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { mayDo, type Permission, type Role } from '../../users/roles.js';
import type { PortalBrand } from '../portal/pages.js';

export type Section =
  | 'overview'
  | 'users'
  | 'enrollments'
  | 'bulk'
  | 'audit'
  | 'apikeys'
  | 'oidc'
  | 'mail'
  | 'settings';

/** Each section's address and what a role needs to see it in the navigation. */
export const SECTIONS: readonly { section: Section; path: string; needs: Permission }[] = [
  { section: 'overview', path: '/admin/', needs: 'users.read' },
  { section: 'users', path: '/admin/users', needs: 'users.read' },
  { section: 'enrollments', path: '/admin/enrollments', needs: 'users.read' },
  { section: 'bulk', path: '/admin/bulk', needs: 'enrollments.bulk' },
  { section: 'audit', path: '/admin/audit', needs: 'audit.read' },
  { section: 'apikeys', path: '/admin/apikeys', needs: 'apikeys.manage' },
  { section: 'oidc', path: '/admin/oidc', needs: 'oidc.manage' },
  { section: 'mail', path: '/admin/mail', needs: 'mail.manage' },
  { section: 'settings', path: '/admin/settings', needs: 'settings.read' },
];

export interface FrameView {
  lang: Lang;
  brand: PortalBrand;
  title: string;
  /** The section to mark in the navigation; none on pages outside the sections. */
  section?: Section;
  /** Who is signed in; omitted on the pages that refuse (no role). */
  operator?: { username: string; displayName: string; role: Role };
  csrfToken: string;
  /** This page's address, for the language switch. */
  path: string;
  body: SafeHtml;
}

/** The same page in the other language (remembered by the portal's language cookie). */
function languageLink(lang: Lang, path: string): SafeHtml {
  const other: Lang = lang === 'de' ? 'en' : 'de';
  const url = new URL(path, 'http://console.invalid');
  url.searchParams.set('lang', other);
  return html`<a
    class="console-language"
    href="${url.pathname}${url.search}"
    lang="${other}"
    hreflang="${other}"
    >${chromeTexts[lang].otherLanguage}</a
  >`;
}

export function renderFrame(v: FrameView): string {
  const t = chromeTexts[v.lang];
  const logo = v.brand.logoUrl
    ? html`<img class="logo" src="${checkURL(v.brand.logoUrl, ['https:'])}" alt="" />`
    : '';
  const operator = v.operator;
  const nav = operator
    ? html`<nav class="console-nav" aria-label="${t.nav.label}">
        <ul>
          ${SECTIONS.filter((s) => mayDo(operator.role, s.needs)).map(
            (s) =>
              html`<li>
                <a href="${s.path}" ${s.section === v.section ? html`aria-current="page"` : ''}
                  >${t.nav[s.section]}</a
                >
              </li>`,
          )}
        </ul>
      </nav>`
    : '';
  const who = operator
    ? html`<p class="console-operator">
          ${t.signedInAs(
            operator.displayName && operator.displayName !== operator.username
              ? `${operator.displayName} (${operator.username})`
              : operator.username,
            t.roleNames[operator.role],
          )}
        </p>
        <form method="post" action="/logout" class="console-signout">
          <input type="hidden" name="_csrf" value="${v.csrfToken}" />
          <button type="submit" class="button button-small">${t.signOut}</button>
        </form>`
    : '';
  return html`<!doctype html>
    <html lang="${v.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${v.title} – ${t.consoleName} – ${v.brand.name}</title>
        <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/pforte.css" />
        <link rel="stylesheet" href="/assets/brand.css" />
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/pforte.js" defer></script>
        <script src="/assets/console.js" defer></script>
      </head>
      <body class="console">
        <a class="skip-link" href="#content">${t.skipToContent}</a>
        <header class="console-header">
          <p class="console-brand">
            ${logo}<a href="/admin/">${v.brand.name} · ${t.consoleName}</a>
          </p>
          <div class="console-session">${who} ${languageLink(v.lang, v.path)}</div>
        </header>
        <div class="console-frame">
          ${nav}
          <main id="content" class="console-main" tabindex="-1">${v.body}</main>
        </div>
      </body>
    </html>`.toString();
}
