/**
 * The help pages the enrollment page and e-mail point to: installing the
 * authenticator on Android and on iPhone, and self-enrollment step by step, with
 * screenshots of the real app. Their words are in src/text/help-*.ts; this file renders
 * them. `npm run docs:screenshots` takes every screenshot the help shows (SCREENSHOTS),
 * in both languages, into `assets/screenshot-<lang>-<name>.png`.
 */
import { html, layout } from '../../text/html.js';
import { de } from '../../text/help-de.js';
import { en } from '../../text/help-en.js';
import {
  SCREENSHOTS,
  type HelpStep,
  type HelpTexts,
  type HelpTopic,
  type Screenshot,
} from '../../text/help.js';
import type { Lang } from '../../text/i18n.js';

// The screenshot script and the tests take the list of screens from the help face.
export { SCREENSHOTS, type HelpTopic, type Screenshot };

export function screenshotFile(lang: Lang, shot: Screenshot): string {
  return `screenshot-${lang}-${shot}.png`;
}

/** The size the screenshots are taken at, in CSS pixels (a phone's viewport). */
export const SCREENSHOT_SIZE = { width: 360, height: 720 } as const;

const HELP: Record<Lang, HelpTexts> = { de, en };

export function renderHelpPage(v: { lang: Lang; organisation: string; topic: HelpTopic }): string {
  const text = HELP[v.lang].pages[v.topic];
  const body = html`<h1>${text.title}</h1>
    <p>${text.intro}</p>
    ${text.steps.length > 0 ? renderSteps(text.steps, v.lang) : ''}
    ${(text.sections ?? []).map(
      (section) =>
        html`<section id="${section.id}" aria-labelledby="${section.id}-heading">
          <h2 id="${section.id}-heading">${section.heading}</h2>
          ${renderSteps(section.steps, v.lang)}
        </section>`,
    )}
    ${text.note ? html`<p class="note">${text.note}</p>` : ''}`;
  return layout({ lang: v.lang, title: text.title, organisation: v.organisation, body }).toString();
}

function renderSteps(steps: HelpStep[], lang: Lang) {
  return html`<ol class="steps">
    ${steps.map((step) => renderStep(step, lang))}
  </ol>`;
}

function renderStep(step: HelpStep, lang: Lang) {
  if (typeof step === 'string') return html`<li>${step}</li>`;
  const { width, height } = SCREENSHOT_SIZE;
  return html`<li>
    <p>${step.text}</p>
    <img
      class="screenshot"
      src="/assets/${screenshotFile(lang, step.shot)}"
      alt="${HELP[lang].screenshotAlt[step.shot]}"
      width="${width}"
      height="${height}"
      loading="lazy"
    />
  </li>`;
}
