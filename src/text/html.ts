/**
 * Server-rendered pages: a tiny templating helper that escapes by default.
 * Everything interpolated into `html` is escaped unless it is itself `SafeHtml`, so the
 * only way to emit markup is to write it in a template or to call `unsafeRaw` on purpose.
 * The pages are served under a strict Content-Security-Policy, so `layout` links the one
 * stylesheet and the one script from `/assets/` and nothing is inline.
 * Prettier formats `html` templates as HTML, so the output carries its indentation; that
 * whitespace is insignificant, and tests compare markup with it squashed.
 */

/** A value allowed inside `html`: text is escaped, `SafeHtml` is kept, nothing-ish is dropped. */
export type HtmlValue =
  string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

let trust!: (markup: string) => SafeHtml;

/** Markup that is already safe to emit: made only by `html` or `unsafeRaw`. */
export class SafeHtml {
  readonly #markup: string;

  private constructor(markup: string) {
    this.#markup = markup;
  }

  static {
    trust = (markup) => new SafeHtml(markup);
  }

  toString(): string {
    return this.#markup;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHTML(String(value));
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`; nested `html` results stay markup. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return trust(out);
}

/** Marks trusted markup from elsewhere (the QR code library's SVG) as safe. Never user input. */
export function unsafeRaw(markup: string): SafeHtml {
  return trust(markup);
}

/**
 * Returns the URL unchanged when it is safe for `href`/`action`: an absolute URL with one of
 * `schemes`, or a same-origin path. Anything else (`javascript:`, `//host`) is a programming
 * or configuration error, so it throws rather than rendering a dangerous link.
 */
export function checkURL(url: string, schemes: readonly string[] = ['https:', 'http:']): string {
  if (/^\/(?![/\\])/.test(url)) return url;
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(url.slice(0, 100))}`);
  }
  if (!schemes.includes(scheme)) throw new Error(`URL scheme ${scheme} is not allowed here`);
  return url;
}

export interface LayoutOptions {
  lang: string;
  title: string;
  organisation: string;
  body: SafeHtml;
  /** An image beside the organisation's name (the portal's logo). */
  logoUrl?: string;
}

/** A complete HTML5 document around `body`: one stylesheet, one deferred script, no inline code. */
export function layout({ lang, title, organisation, body, logoUrl }: LayoutOptions): SafeHtml {
  const logo = logoUrl
    ? html`<img class="logo" src="${checkURL(logoUrl, ['https:'])}" alt="" />`
    : '';
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title} – ${organisation}</title>
        <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/pforte.css" />
        <link rel="stylesheet" href="/assets/brand.css" />
        <script src="/assets/pforte.js" defer></script>
      </head>
      <body>
        <header class="site-header">
          ${logo}
          <p class="organisation">${organisation}</p>
        </header>
        <main class="content">${body}</main>
      </body>
    </html> `;
}
