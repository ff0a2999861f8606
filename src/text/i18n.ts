/**
 * The languages of the pages and the e-mail: which one to use, and every text in German and
 * English. Each language is one object of type `Messages`, so a missing translation is a
 * type error. Texts are plain text; the templates escape them and add the markup.
 */

import { de } from './messages-de.js';
import { en } from './messages-en.js';
import type { Lang, Messages } from './messages.js';

export type { Messages };

export type { Lang };

export const LANGUAGES: readonly Lang[] = ['de', 'en'];

const DEFAULT_LANG: Lang = 'de';

/** The primary subtag of a language tag when it is one of ours: `de-AT` → `de`. */
function languageOf(tag: string): Lang | undefined {
  const primary = tag.trim().toLowerCase().split('-')[0];
  return LANGUAGES.find((lang) => lang === primary);
}

/**
 * Picks the page language: the user's stored language when it is one of ours, else the best
 * of German and English by the Accept-Language header's q-values (RFC 9110 §12.5.4; `*`
 * stands for any language not named), else German. Ties go to the language named first.
 */
export function chooseLanguage(acceptLanguage: string | undefined, preferred?: string): Lang {
  const stored = preferred === undefined ? undefined : languageOf(preferred);
  if (stored) return stored;
  if (!acceptLanguage) return DEFAULT_LANG;

  const quality = new Map<Lang, number>();
  const order: Lang[] = [];
  let wildcard: number | undefined;
  for (const entry of acceptLanguage.split(',')) {
    const [range = '', ...params] = entry.split(';').map((part) => part.trim());
    const q = qualityOf(params);
    if (q === undefined || range === '') continue;
    if (range === '*') {
      wildcard = Math.max(wildcard ?? 0, q);
      continue;
    }
    const lang = languageOf(range);
    if (!lang) continue;
    if (!quality.has(lang)) order.push(lang);
    quality.set(lang, Math.max(quality.get(lang) ?? 0, q));
  }
  if (wildcard !== undefined) {
    for (const lang of [DEFAULT_LANG, ...LANGUAGES]) {
      if (!quality.has(lang)) {
        quality.set(lang, wildcard);
        order.push(lang);
      }
    }
  }

  let best: Lang = DEFAULT_LANG;
  let bestQ = 0;
  for (const lang of order) {
    const q = quality.get(lang)!;
    if (q > bestQ) [best, bestQ] = [lang, q];
  }
  // Nothing acceptable: the default, unless the header refused exactly that.
  if (bestQ === 0) return LANGUAGES.find((lang) => quality.get(lang) !== 0) ?? DEFAULT_LANG;
  return best;
}

/** The `q` parameter as a number in [0, 1]; 1 when absent; undefined when malformed. */
function qualityOf(params: string[]): number | undefined {
  const q = params.find((p) => /^q\s*=/i.test(p));
  if (q === undefined) return 1;
  const value = q.replace(/^q\s*=\s*/i, '');
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return undefined;
  return Number(value);
}

/** "Freitag, 6. Dezember 2024 um 14:30 MEZ" — the time in Europe/Berlin, with its zone. */
export function formatDateTime(date: Date, lang: Lang): string {
  return formatter('dateTime', lang).format(date);
}

/** A day as people write it: "29. November 2026" (in Europe/Berlin). */
export function formatDay(date: Date, lang: Lang): string {
  return formatter('day', lang).format(date);
}

const FORMATS = {
  dateTime: {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Berlin',
    timeZoneName: 'short',
  },
  day: { dateStyle: 'long', timeZone: 'Europe/Berlin' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
const LOCALE: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/**
 * Made once, at the first use: building a formatter costs far more than using one (bulk
 * enrollment formats ten thousand expiry dates), and the first one loads ICU's locale and
 * time zone data (some 8 MB of RSS) that a server answering only the API never needs.
 */
function formatter(format: keyof typeof FORMATS, lang: Lang): Intl.DateTimeFormat {
  const key = `${format}/${lang}`;
  let made = FORMATTERS.get(key);
  if (!made) FORMATTERS.set(key, (made = new Intl.DateTimeFormat(LOCALE[lang], FORMATS[format])));
  return made;
}

const MESSAGES: Readonly<Record<Lang, Messages>> = { de, en };

/** All texts in one language. */
export function messagesFor(lang: Lang): Messages {
  return MESSAGES[lang];
}
