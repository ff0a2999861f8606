/**
 * The pages of "Mein Zugang" (My access): the user's tokens and the two actions, the
 * confirmation before "Telefon verloren", and the answers after each. Plain forms, no
 * script; every action is a POST with the CSRF token, every page links back.
 */
import { html, layout, type SafeHtml } from '../../text/html.js';
import { formatDateTime, formatDay, messagesFor, type Lang } from '../../text/i18n.js';
import { portalAccessTexts } from '../../text/portal-access.js';
import type { Token } from '../../tokens/view.js';
import type { OwnAccess } from '../../users/own-access.js';
import type { PortalMessage } from './kit.js';
import { languageSwitch, type PortalBrand } from './pages.js';

interface AccessPageBase {
  lang: Lang;
  brand: PortalBrand;
  csrfToken: string;
}

export interface AccessPageView extends AccessPageBase {
  access: OwnAccess;
  /** Policy lets employees start their own enrollment (`enrollment.selfService`). */
  selfService: boolean;
  message?: PortalMessage;
}

function page(v: AccessPageBase, title: string, body: SafeHtml, here: string): string {
  return layout({
    lang: v.lang,
    title,
    organisation: v.brand.name,
    body: html`${body} ${languageSwitch(v.lang, here)}`,
    ...(v.brand.logoUrl ? { logoUrl: v.brand.logoUrl } : {}),
  }).toString();
}

function whom(v: AccessPageBase): string {
  return v.brand.contact || messagesFor(v.lang).common.itDepartment;
}

function messageBox(message: PortalMessage | undefined): SafeHtml | '' {
  if (!message) return '';
  const kind = message.kind === 'alert' ? 'alert' : 'notice';
  return html`<p class="${kind}" role="${message.kind}">${message.text}</p>`;
}

function tokenEntry(lang: Lang, token: Token): SafeHtml {
  const a = portalAccessTexts[lang];
  const at = (iso: string) => new Date(iso);
  return html`<h3>${token.description || a.unnamed(token.serial)}</h3>
    <dl class="settings">
      <div>
        <dt>${a.serial}</dt>
        <dd>${token.serial}</dd>
      </div>
      <div>
        <dt>${a.type}</dt>
        <dd>${a.types[token.type]}</dd>
      </div>
      <div>
        <dt>${a.state}</dt>
        <dd>${a.states[token.state]}</dd>
      </div>
      <div>
        <dt>${a.enrolledOn}</dt>
        <dd>${formatDay(at(token.createdAt), lang)}</dd>
      </div>
      <div>
        <dt>${a.lastUsed}</dt>
        <dd>${token.lastUsedAt ? formatDateTime(at(token.lastUsedAt), lang) : a.never}</dd>
      </div>
    </dl>`;
}

/** The "Neues Telefon einrichten" form (or why there is none): on the page and after "lost". */
function newPhoneForm(v: AccessPageBase, selfService: boolean): SafeHtml {
  const a = portalAccessTexts[v.lang];
  if (!selfService) return html`<p>${a.selfServiceOff(whom(v))}</p>`;
  return html`<form method="post" action="/access/new-phone">
    <input type="hidden" name="_csrf" value="${v.csrfToken}" />
    <button type="submit" class="button button-primary">${a.newPhoneButton}</button>
  </form>`;
}

export function renderAccessPage(v: AccessPageView): string {
  const a = portalAccessTexts[v.lang];
  const { access } = v;
  const when = (iso: string) => formatDateTime(new Date(iso), v.lang);
  const tokens =
    access.tokens.length === 0
      ? html`<p>${a.noTokens}</p>`
      : access.tokens.map((token) => tokenEntry(v.lang, token));
  const body = html`<h1>${a.title}</h1>
    ${messageBox(v.message)}
    <p>${a.intro}</p>
    <h2>${a.tokensHeading}</h2>
    ${tokens}
    ${
      access.enrollment
        ? html`<p class="notice">
            ${a.enrollmentOpen(when(access.enrollment.createdAt), when(access.enrollment.expiresAt))}
          </p>`
        : ''
    }
    ${
      access.temporary
        ? html`<p class="notice">
            ${a.temporaryLive(access.temporary.usesLeft, when(access.temporary.expiresAt))}
          </p>`
        : ''
    }
    <h2 id="new-phone">${a.newPhoneHeading}</h2>
    ${v.selfService ? html`<p>${a.newPhoneText}</p>` : ''} ${newPhoneForm(v, v.selfService)}
    <h2 id="lost-phone">${a.lostPhoneHeading}</h2>
    ${
      access.tokens.length > 0
        ? html`<p>${a.lostPhoneText}</p>
            <p><a class="button" href="/access/lost-phone">${a.lostPhoneButton}</a></p>`
        : html`<p>${a.nothingToRevoke}</p>`
    }
    <p><a href="/services">${messagesFor(v.lang).portal.servicesTitle}</a></p>`;
  return page(v, a.title, body, '/access');
}

/** The confirmation before anything is revoked: a link can be followed by mistake, a form not. */
export function renderLostPhoneConfirm(v: AccessPageBase & { tokens: number }): string {
  const a = portalAccessTexts[v.lang];
  const body =
    v.tokens === 0
      ? html`<h1>${a.confirmTitle}</h1>
          <p>${a.nothingToRevoke}</p>
          <p><a href="/access">${a.back}</a></p>`
      : html`<h1>${a.confirmTitle}</h1>
          <p>${a.confirmText}</p>
          <p>${a.confirmMeanwhile(whom(v))}</p>
          <form method="post" action="/access/lost-phone">
            <input type="hidden" name="_csrf" value="${v.csrfToken}" />
            <button type="submit" class="button button-primary">${a.confirmButton}</button>
          </form>
          <p><a class="button" href="/access">${a.cancel}</a></p>`;
  return page(v, a.confirmTitle, body, '/access/lost-phone');
}

/** After "Telefon verloren": revoked, how to sign in meanwhile, then the new phone. */
export function renderLostPhoneDone(
  v: AccessPageBase & {
    revoked: number;
    noticeMailed: boolean;
    temporaryAccess: boolean;
    selfService: boolean;
  },
): string {
  const a = portalAccessTexts[v.lang];
  if (v.revoked === 0) {
    return renderAccessResult(v, a.confirmTitle, { kind: 'status', text: a.nothingToRevoke });
  }
  const body = html`<h1>${a.revokedTitle}</h1>
    <p class="notice" role="status">${a.revoked}</p>
    <p>${v.temporaryAccess ? a.howToSignIn(whom(v)) : a.noTemporary(whom(v))}</p>
    ${v.noticeMailed ? html`<p>${a.noticeMailed}</p>` : ''}
    <h2 id="new-phone">${a.newPhoneHeading}</h2>
    ${v.selfService ? html`<p>${a.thenNewPhone}</p>` : ''} ${newPhoneForm(v, v.selfService)}
    <p><a href="/access">${a.back}</a></p>`;
  return page(v, a.revokedTitle, body, '/access');
}

/** One message and the way back: "link sent", a refusal, a form that could not be read. */
export function renderAccessResult(
  v: AccessPageBase,
  title: string,
  message: PortalMessage,
  more: string[] = [],
): string {
  const a = portalAccessTexts[v.lang];
  const body = html`<h1>${title}</h1>
    ${messageBox(message)} ${more.map((text) => html`<p>${text}</p>`)}
    <p><a href="/access">${a.back}</a></p>`;
  return page(v, title, body, '/access');
}
