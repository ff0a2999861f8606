/**
 * The e-mail that starts self-enrollment (DESIGN §1, step 1): what the user has to do, how
 * long the link lasts, and that it is personal. Rendered as plain text and as simple HTML;
 * the link is the only thing that matters, so both versions show it in full.
 */
import { checkURL, html } from '../text/html.js';
import { formatDateTime, messagesFor, type Lang } from '../text/i18n.js';

export interface EnrollmentMailView {
  lang: Lang;
  organisation: string;
  /** Whom to ask; '' for "your IT department". */
  contact: string;
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

  // Mail clients ignore stylesheets and the page CSP does not apply, so styles are inline.
  const body = html`<!doctype html>
    <html lang="${v.lang}">
      <head>
        <meta charset="utf-8" />
        <title>${m.subject(organisation)}</title>
      </head>
      <body style="margin:0;padding:0;background:#ffffff;">
        <div
          style="max-width:600px;margin:0 auto;padding:24px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;"
        >
          <p style="margin:0 0 16px;">${m.greeting(name)}</p>
          <p style="margin:0 0 16px;">${m.intro(organisation)}</p>
          <p style="margin:0 0 8px;font-weight:bold;">${m.stepsHeading}</p>
          <ol style="margin:0 0 16px;padding-left:24px;">
            <li style="margin:0 0 8px;"><strong>${m.stepOpen}</strong></li>
            <li style="margin:0 0 8px;">${m.stepFollow}</li>
            <li style="margin:0 0 8px;">${m.stepApp}</li>
          </ol>
          <p style="margin:24px 0;">
            <a
              href="${link}"
              style="display:inline-block;padding:14px 24px;background:#0a58ca;color:#ffffff;text-decoration:none;font-weight:bold;border-radius:6px;"
              >${m.button}</a
            >
          </p>
          <p style="margin:0 0 4px;">${m.linkFallback}</p>
          <p style="margin:0 0 16px;word-break:break-all;">
            <a href="${link}" style="color:#0a58ca;">${link}</a>
          </p>
          <p style="margin:0 0 16px;">${expires}</p>
          <p style="margin:0 0 16px;">${m.personal} ${m.neverAsk(organisation)}</p>
          <p style="margin:0;">${m.questions(who)}</p>
        </div>
      </body>
    </html> `;

  return { subject: m.subject(organisation), text, html: body.toString() };
}
