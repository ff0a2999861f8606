/**
 * The HTML around every mail Pforte sends: the organisation's name on a bar of its
 * colour (the one brand of the pages and the app), then the message. Mail clients
 * ignore stylesheets, so the styles are inline; the plain-text part stays the one that
 * matters.
 */
import { html, type SafeHtml } from '../text/html.js';
import { textColourOn } from '../text/brand-colour.js';
import type { Lang } from '../text/messages.js';

export interface MailBrand {
  name: string;
  /** `#rrggbb`. */
  colour: string;
}

export function mailFrame(v: { lang: Lang; title: string; brand: MailBrand; body: SafeHtml }) {
  return html`<!doctype html>
    <html lang="${v.lang}">
      <head>
        <meta charset="utf-8" />
        <title>${v.title}</title>
      </head>
      <body style="margin:0;padding:0;background:#ffffff;">
        <div
          style="max-width:600px;margin:0 auto;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;"
        >
          <p
            style="margin:0;padding:12px 24px;font-weight:bold;font-size:18px;background:${
              v.brand.colour
            };color:${textColourOn(v.brand.colour)};"
          >
            ${v.brand.name}
          </p>
          <div style="padding:24px;">${v.body}</div>
        </div>
      </body>
    </html> `;
}

/** A button-like link in the brand's colour. */
export function mailButton(brand: MailBrand, href: SafeHtml | string, label: string): SafeHtml {
  return html`<a
    href="${href}"
    style="display:inline-block;padding:14px 24px;background:${brand.colour};color:${textColourOn(
      brand.colour,
    )};text-decoration:none;font-weight:bold;border-radius:6px;"
    >${label}</a
  >`;
}
