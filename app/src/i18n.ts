/**
 * The app's language: the one chosen with the language button, else the first of the
 * browser's languages the app has, else English. The choice is not secret, so it may
 * live in localStorage.
 */
import { LANGS, TEXTS, type Lang, type Texts } from './texts.js';

const KEY = 'pforte.lang';
let lang: Lang = pickLanguage();

function pickLanguage(): Lang {
  const chosen = localStorage.getItem(KEY);
  if (LANGS.includes(chosen as Lang)) return chosen as Lang;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0] as Lang;
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

export function t(): Texts {
  return TEXTS[lang];
}

export function language(): Lang {
  return lang;
}

export function switchLanguage(): void {
  lang = lang === 'en' ? 'de' : 'en';
  localStorage.setItem(KEY, lang);
}
