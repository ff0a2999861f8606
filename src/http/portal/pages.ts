/**
 * The portal's pages: the sign-in page of the seed document — "Willkommen", "Bitte
 * melden Sie sich an.", then Benutzername, Token Code, Kennwort and Anmelden, in that
 * order — and the services page behind it. Plain HTML forms: they work without
 * JavaScript.
 */
import { languageSwitch } from '../shared/language.js';
import { passcodeInput } from '../shared/passcode-input.js';
import { html, layout, checkURL, type SafeHtml } from '../../text/html.js';
import { messagesFor, type Lang } from '../../text/i18n.js';
import { oidcTexts } from '../../text/oidc.js';
import { portalAccessTexts } from '../../text/portal-access.js';
import { PASSWORD_MAX, USERNAME_MAX } from '../../users/fields.js';

export interface PortalBrand {
  name: string;
  logoUrl: string;
  contact: string;
}

export interface SignInPageView {
  lang: Lang;
  brand: PortalBrand;
  csrfToken: string;
  /** Kept after a failure; the code and the password never are. */
  username?: string;
  returnTo?: string;
  message?: { kind: 'alert' | 'status'; text: string };
  /** Where the form goes and the page is (an OpenID sign-in's interaction); `/login` otherwise. */
  place?: SignInPlace;
}

/** A sign-in page somewhere else than `/login`: for a service that sent the browser (OpenID Connect). */
export interface SignInPlace {
  /** The form's target. */
  action: string;
  /** This page's own address, for the language switch. */
  here: string;
  /** The service the sign-in is for, named above the form. */
  service: string;
  /** Origins the form's answer may redirect to (the service's): the page's form-action. */
  formOrigins: string[];
}

// The switch is shared with the enrollment pages; the portal's pages take it from here.
export { languageSwitch };

function contactLine(lang: Lang, contact: string): SafeHtml | '' {
  if (!contact) return '';
  return html`<p class="contact">${messagesFor(lang).common.askFor(contact)}</p>`;
}

export function renderSignInPage(v: SignInPageView): string {
  const t = messagesFor(v.lang).portal;
  const hasUser = Boolean(v.username);
  const here =
    v.place?.here ?? (v.returnTo ? `/login?return=${encodeURIComponent(v.returnTo)}` : '/login');
  const message = v.message
    ? html`<p class="${v.message.kind === 'alert' ? 'alert' : 'notice'}" role="${v.message.kind}">
        ${v.message.text}
      </p>`
    : '';
  const body = html`<h1>${t.welcome}</h1>
    <p>${t.pleaseSignIn}</p>
    ${v.place ? html`<p class="service-name">${oidcTexts[v.lang].signInFor(v.place.service)}</p>` : ''}
    ${message}
    <form class="signin" method="post" action="${v.place?.action ?? '/login'}" novalidate>
      <input type="hidden" name="_csrf" value="${v.csrfToken}" />
      ${v.returnTo ? html`<input type="hidden" name="return" value="${v.returnTo}" />` : ''}
      <div class="field">
        <label for="username">${t.username}</label>
        <input
          id="username"
          name="username"
          type="text"
          value="${v.username ?? ''}"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          maxlength="${String(USERNAME_MAX)}"
          required
          ${hasUser ? '' : html`autofocus`}
        />
      </div>
      <div class="field">
        <label for="otp">${t.tokenCode}</label>
        ${passcodeInput({ maxDigits: 8, attributes: hasUser ? html`autofocus` : '' })}
      </div>
      <div class="field">
        <label for="password">${t.password}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          maxlength="${String(PASSWORD_MAX)}"
          required
        />
      </div>
      <button type="submit" class="button button-primary">${t.signIn}</button>
    </form>
    <p class="help"><a href="/help/enrollment">${t.setUpToken}</a></p>
    ${contactLine(v.lang, v.brand.contact)} ${languageSwitch(v.lang, here)}`;
  return layout({
    lang: v.lang,
    title: t.title,
    organisation: v.brand.name,
    body,
    ...(v.brand.logoUrl ? { logoUrl: v.brand.logoUrl } : {}),
  }).toString();
}

export interface ServicesPageView {
  lang: Lang;
  brand: PortalBrand;
  csrfToken: string;
  user: { username: string; displayName: string };
  services: readonly { name: string; description: string; url: string }[];
  /** The user has a console role: the page links to the console. */
  operator?: boolean;
  /** No token signs in (a temporary code did): the page offers to set up a new phone. */
  needsNewPhone?: boolean;
}

/** The offer to a user whom no token signs in (a temporary code did): set up the new phone. */
function newPhoneOffer(lang: Lang): SafeHtml {
  const a = portalAccessTexts[lang];
  return html`<section class="notice" aria-labelledby="new-phone-offer">
    <h2 id="new-phone-offer">${a.offerTitle}</h2>
    <p>${a.offerText}</p>
    <p><a class="button button-primary" href="/access#new-phone">${a.newPhoneButton}</a></p>
  </section>`;
}

export function renderServicesPage(v: ServicesPageView): string {
  const t = messagesFor(v.lang).portal;
  const who = v.user.displayName ? `${v.user.displayName} (${v.user.username})` : v.user.username;
  const list =
    v.services.length === 0
      ? html`<p>${t.noServices}</p>`
      : html`<ul class="services">
          ${v.services.map(
            (s) =>
              html`<li>
                <a href="${checkURL(s.url)}">${s.name}</a>
                ${s.description ? html`<p>${s.description}</p>` : ''}
              </li>`,
          )}
        </ul>`;
  const body = html`<h1>${t.servicesTitle}</h1>
    <p class="signed-in">${t.signedInAs(who)}</p>
    ${v.needsNewPhone ? newPhoneOffer(v.lang) : ''} ${list}
    <p><a href="/access">${portalAccessTexts[v.lang].link}</a></p>
    ${v.operator ? html`<p><a class="button" href="/admin/">${t.toConsole}</a></p>` : ''}
    <form method="post" action="/logout">
      <input type="hidden" name="_csrf" value="${v.csrfToken}" />
      <button type="submit" class="button">${t.signOut}</button>
    </form>
    ${languageSwitch(v.lang, '/services')}`;
  return layout({
    lang: v.lang,
    title: t.servicesTitle,
    organisation: v.brand.name,
    body,
    ...(v.brand.logoUrl ? { logoUrl: v.brand.logoUrl } : {}),
  }).toString();
}
