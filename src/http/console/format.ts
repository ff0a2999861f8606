/** How the console writes times, counts and pages' links: one place, so every page agrees. */
import { chromeTexts } from '../../text/console/chrome.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';

const LOCALES: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

/** A moment as the operator reads it (the server's time zone), or "never" for none. */
export function formatTime(lang: Lang, at: string | number | null | undefined): string {
  if (at === null || at === undefined) return chromeTexts[lang].never;
  return new Date(at).toLocaleString(LOCALES[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/**
 * A secret shown this once (an API key, a temporary code), large, with a copy button
 * (assets/pforte.js): the page that shows it is never stored (no-store).
 */
export function shownOnce(
  id: string,
  secret: string,
  labels: { copy: string; copied: string },
): SafeHtml {
  return html`<p class="secret-once" id="${id}">${secret}</p>
    <p>
      <button type="button" class="button" data-copy="${id}" data-copied-label="${labels.copied}">
        ${labels.copy}
      </button>
    </p>`;
}

/**
 * The link to a list's next page: the same address with `cursor` set to the page's
 * `next` (the core's paging contract), and a link back to the first page.
 */
export function pager(lang: Lang, path: string, next: string | undefined): SafeHtml | '' {
  const url = new URL(path, 'http://console.invalid');
  const onLaterPage = url.searchParams.has('cursor');
  if (!next && !onLaterPage) return '';
  const t = chromeTexts[lang];
  url.searchParams.delete('cursor');
  url.searchParams.delete('lang');
  const first = `${url.pathname}${url.search}`;
  url.searchParams.set('cursor', next ?? '');
  const following = `${url.pathname}${url.search}`;
  return html`<nav class="pager" aria-label="${t.next}">
    ${onLaterPage ? html`<a href="${first}">${t.first}</a>` : ''}
    ${next ? html`<a href="${following}" rel="next">${t.next}</a>` : ''}
  </nav>`;
}
