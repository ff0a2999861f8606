/**
 * The organisation's brand, as the server wrote it into the page at install
 * (src/http/static/app-brand.ts): the one name the employee meets on every screen, the
 * header's colours, where the portal is and whom to ask. The page is kept by the
 * service worker, so the brand holds offline too.
 */
function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content.trim() ?? '';
}

const COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The portal's address, or this server's portal when the page names none that is http(s). */
function portalUrl(): string {
  const named = meta('pforte-portal');
  return /^https?:\/\//.test(named) ? named : `${location.origin}/`;
}

export const brand = {
  name: meta('apple-mobile-web-app-title') || 'Pforte',
  portalUrl: portalUrl(),
  /** '' for "your IT department". */
  contact: meta('pforte-contact'),
};

/** The portal's "My access" page, where "Set up a new phone" is. */
export function portalAccessUrl(): string {
  return `${brand.portalUrl.replace(/\/?$/, '/')}access`;
}

/**
 * The header takes the brand's colour. Set through the CSSOM, which the app's
 * Content-Security-Policy (style-src 'self') allows, unlike an inline style attribute.
 */
export function applyBrandColours(): void {
  const root = document.documentElement.style;
  const colour = meta('theme-color');
  const text = meta('pforte-header-text');
  if (COLOUR.test(colour)) root.setProperty('--header', colour);
  if (COLOUR.test(text)) root.setProperty('--header-text', text);
}
