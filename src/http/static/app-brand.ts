/**
 * The organisation's brand in the built authenticator (issue 13, item 8): the page and
 * the web app manifest are written once at start with the brand's name, colour, portal
 * and contact, so the installed app carries the one name the employee meets everywhere
 * (Home Screen label, header, title, theme colour). The service worker keeps these
 * files as served, so the app shows the brand offline too.
 */
import type { Brand } from '../../config/brand.js';
import { textColourOn } from '../../text/brand-colour.js';
import { escapeHTML } from '../../text/html.js';

/** Sets `<meta name="…" content="…" />`; a function replacement, so `$&` in a value stays as it is. */
function setMeta(page: string, name: string, value: string): string {
  return page.replace(
    new RegExp(`<meta name="${name}" content="[^"]*" />`),
    () => `<meta name="${name}" content="${escapeHTML(value)}" />`,
  );
}

/** index.html with the brand written into the places the app and the browser read it. */
export function brandAppPage(page: string, brand: Brand, organisation: string): string {
  const metas: [string, string][] = [
    // The suggested token name: the issuer the server's tokens carry.
    ['pforte-organisation', organisation],
    ['pforte-portal', brand.portalUrl],
    ['pforte-contact', brand.contact],
    ['pforte-header-text', textColourOn(brand.colour)],
    ['theme-color', brand.colour],
    ['apple-mobile-web-app-title', brand.name],
  ];
  let branded = page;
  for (const [name, value] of metas) branded = setMeta(branded, name, value);
  const name = escapeHTML(brand.name);
  return branded
    .replace(/<title>[^<]*<\/title>/, () => `<title>${name}</title>`)
    .replace(/<span class="brand">[^<]*<\/span>/, () => `<span class="brand">${name}</span>`);
}

/** The built manifest with the brand's name and colour; unchanged if it is not JSON. */
export function brandManifest(manifest: string, brand: Brand): string {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(manifest) as Record<string, unknown>;
  } catch {
    return manifest;
  }
  return JSON.stringify({
    ...parsed,
    name: brand.name,
    short_name: brand.name,
    theme_color: brand.colour,
    background_color: brand.colour,
  });
}
