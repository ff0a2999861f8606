/**
 * The e-mail that starts self-enrollment (DESIGN §1, step 1): what the user has to do, how
 * long the link lasts, and that it is personal. Rendered as plain text and as simple HTML;
 * the link is the only thing that matters, so both versions show it in full.
 */
import { checkURL, html } from '../text/html.js';
import { mailButton, mailFrame } from './mail-frame.js';
import { formatDateTime, messagesFor, type Lang } from '../text/i18n.js';

export interface EnrollmentMailView {
  lang: Lang;
  organisation: string;
  /** Whom to ask; '' for "your IT department". */
  contact: string;
  /** The brand's colour, `#rrggbb`: the mail's bar and button. */
  colour: string;
  displayName: string;
  /** `<public-url>/enroll/<code>`. */
  link: string;
  expiresAt: Date;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Collapses control characters (CR, LF, TAB, NUL, C1, line and paragraph separators) and runs
 * of spaces into one space, so that a value cannot add a line to the subject or the text.
 */
export function toOneLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** The enrollment e-mail in the user's language. */
export function renderEnrollmentMail(v: EnrollmentMailView): RenderedMail {
  const m = messagesFor(v.lang).mail;
  const organisation = toOneLine(v.organisation);
  const name = toOneLine(v.displayName);
  const link = checkURL(toOneLine(v.link));
  const who = toOneLine(v.contact) || messagesFor(v.lang).common.itDepartment;
  const expires = m.expires(formatDateTime(v.expiresAt, v.lang));

  const text = [
    m.greeting(name),
    '',
    m.intro(organisation),
    '',
    m.stepsHeading,
    '',
    `1. ${m.stepOpen}`,
    '',
    `   ${link}`,
    '',
    `2. ${m.stepFollow}`,
    `3. ${m.stepApp}`,
    '',
    expires,
    '',
    m.personal,
    m.neverAsk(organisation),
    '',
    m.questions(who),
    '',
  ].join('\n');

  const brand = { name: organisation, colour: v.colour };
  const body = mailFrame({
    lang: v.lang,
    title: m.subject(organisation),
    brand,
    body: html`<p style="margin:0 0 16px;">${m.greeting(name)}</p>
      <p style="margin:0 0 16px;">${m.intro(organisation)}</p>
      <p style="margin:0 0 8px;font-weight:bold;">${m.stepsHeading}</p>
      <ol style="margin:0 0 16px;padding-left:24px;">
        <li style="margin:0 0 8px;"><strong>${m.stepOpen}</strong></li>
        <li style="margin:0 0 8px;">${m.stepFollow}</li>
        <li style="margin:0 0 8px;">${m.stepApp}</li>
      </ol>
      <p style="margin:24px 0;">${mailButton(brand, link, m.button)}</p>
      <p style="margin:0 0 4px;">${m.linkFallback}</p>
      <p style="margin:0 0 16px;word-break:break-all;">
        <a href="${link}" style="color:#0a58ca;">${link}</a>
      </p>
      <p style="margin:0 0 16px;">${expires}</p>
      <p style="margin:0 0 16px;">${m.personal} ${m.neverAsk(organisation)}</p>
      <p style="margin:0;">${m.questions(who)}</p>`,
  });

  return { subject: m.subject(organisation), text, html: body.toString() };
}
