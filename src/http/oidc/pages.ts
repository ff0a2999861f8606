/**
 * The OpenID Connect pages in the portal's look: the consent a service that is not the
 * organisation's own asks for, and the pages oidc-provider writes itself (sign out of a
 * service, signed out, an error). The error page names the standard's error code
 * (`invalid_redirect_uri`, …) and nothing else the library knows: no stack, no detail
 * that would help an attacker more than the service's administrator.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { brandOf } from '../../config/brand.js';
import type { Config } from '../../config/schema.js';
import type { OidcPages } from '../../oidc/provider.js';
import { html, layout, unsafeRaw, type SafeHtml } from '../../text/html.js';
import { chooseLanguage, type Lang } from '../../text/i18n.js';
import { oidcTexts } from '../../text/oidc.js';
import { portalCookies } from '../portal/cookies.js';
import { pageHeaderValues } from '../shared/page-headers.js';

export interface ConsentView {
  lang: Lang;
  organisation: string;
  logoUrl: string;
  csrfToken: string;
  action: string;
  service: string;
  scopes: readonly string[];
}

/** Asks whether `service` may know what its scopes give; Allow and Deny post `decision`. */
export function renderConsentPage(v: ConsentView): string {
  const t = oidcTexts[v.lang];
  const body = html`<h1>${t.consentTitle}</h1>
    <p>${t.consentAsks(v.service)}</p>
    <ul class="scopes">
      ${v.scopes.map((scope) => html`<li>${t.scopeNames[scope] ?? scope}</li>`)}
    </ul>
    <form method="post" action="${v.action}">
      <input type="hidden" name="_csrf" value="${v.csrfToken}" />
      <button type="submit" name="decision" value="allow" class="button button-primary">
        ${t.allow}
      </button>
      <button type="submit" name="decision" value="deny" class="button">${t.deny}</button>
    </form>`;
  return page(v.lang, v.organisation, v.logoUrl, t.consentTitle, body);
}

function page(
  lang: Lang,
  organisation: string,
  logoUrl: string,
  title: string,
  body: SafeHtml,
): string {
  return layout({ lang, title, organisation, body, ...(logoUrl ? { logoUrl } : {}) }).toString();
}

/** The pages oidc-provider renders, answered on its Koa context with the portal's headers. */
export function providerPages(config: Readonly<Config>): OidcPages {
  const { name, logoUrl } = brandOf(config);
  const langCookie = portalCookies(config).lang;
  const languageOf = (ctx: KoaContextWithOIDC): Lang =>
    chooseLanguage(ctx.get('accept-language') || undefined, ctx.cookies.get(langCookie));
  const send = (
    ctx: KoaContextWithOIDC,
    title: string,
    body: SafeHtml,
    formOrigins: string[] = [],
  ) => {
    ctx.set(pageHeaderValues(config, { formOrigins }));
    ctx.body = page(languageOf(ctx), name, logoUrl, title, body);
  };
  const serviceOf = (ctx: KoaContextWithOIDC) =>
    ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? '';
  return {
    async logout(ctx, form) {
      const t = oidcTexts[languageOf(ctx)];
      const service = serviceOf(ctx) || name;
      // The provider's own hidden form (its action and one-time xsrf value); the buttons
      // name it, so the page needs no script.
      send(
        ctx,
        t.signOutTitle,
        html`<h1>${t.signOutTitle}</h1>
          <p>${t.signOutAsk(service)}</p>
          ${unsafeRaw(form)}
          <button
            type="submit"
            form="op.logoutForm"
            name="logout"
            value="yes"
            class="button button-primary"
            autofocus
          >
            ${t.signOutEverywhere}
          </button>
          <button type="submit" form="op.logoutForm" class="button">
            ${t.signOutOnly(service)}
          </button>`,
        redirectOrigins(ctx),
      );
    },
    async loggedOut(ctx) {
      const t = oidcTexts[languageOf(ctx)];
      send(
        ctx,
        t.signedOutTitle,
        html`<h1>${t.signedOutTitle}</h1>
          <p>${t.signedOut(serviceOf(ctx) || name)}</p>
          <p><a class="button" href="/login">${t.toPortal}</a></p>`,
      );
    },
    async error(ctx, out) {
      const t = oidcTexts[languageOf(ctx)];
      // For the audit record (oidc/events.ts): the page is HTML, the code is here.
      ctx.state.pforteErrorCode = out.error;
      send(
        ctx,
        t.errorTitle,
        html`<h1>${t.errorTitle}</h1>
          <p>${t.errorText}</p>
          <p class="alert" role="alert">${t.errorCode}: <code>${out.error}</code></p>
          ${out.error_description ? html`<p class="error-description">${out.error_description}</p>` : ''}
          <p><a class="button" href="/login">${t.toPortal}</a></p>`,
      );
    },
  };
}

/** Where a logout form's answer goes next: the client's post-logout addresses. */
function redirectOrigins(ctx: KoaContextWithOIDC): string[] {
  return formOriginsOf(ctx.oidc.client?.postLogoutRedirectUris ?? []);
}

/**
 * The CSP form-action sources for redirects to `uris`: the origin of an http(s) address,
 * the scheme of a native app's (`com.example.app:`).
 */
export function formOriginsOf(uris: readonly string[]): string[] {
  const sources = new Set<string>();
  for (const uri of uris) {
    try {
      const url = new URL(uri);
      sources.add(
        url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol,
      );
    } catch {
      // Not a URL: oidc-provider refuses such a client; nothing to allow.
    }
  }
  return [...sources];
}
