/** The enrollment e-mail: German and English, the link in both parts, a one-line subject. */
import { describe, expect, it } from 'vitest';
import { renderEnrollmentMail, toOneLine } from '../../src/mail/enrollment-mail.js';
import { squash } from './page-checks.js';

const LINK = 'https://pforte.example.org/enroll/ABCDEFGHJKMNPQRSTVWXYZ012';

const base = {
  organisation: 'Stadt Musterhausen',
  contact: 'Service-Desk, Tel. 040 1234',
  colour: '#e30613',
  displayName: 'Erika Mustermann',
  link: LINK,
  expiresAt: new Date('2025-07-01T08:05:00Z'),
};

describe('enrollment mail', () => {
  it("carries the organisation's name on a bar of its colour, and the button in that colour", () => {
    const mail = renderEnrollmentMail({ ...base, lang: 'de' });
    expect(mail.html).toMatch(
      /background:#e30613;color:#ffffff;"\s*>\s*Stadt Musterhausen\s*<\/p>/,
    );
    expect(mail.html).toContain(
      `href="${LINK}"\n    style="display:inline-block;padding:14px 24px;background:#e30613;`,
    );
  });

  it.each([
    [
      'de',
      'Ihr Zugang zu Stadt Musterhausen: Token einrichten',
      [
        'Hallo Erika Mustermann,',
        'Stadt Musterhausen richtet die Anmeldung mit Einmal-Passcodes ein.',
        'unbedingt auf Ihrem Smartphone',
        'Folgen Sie den Schritten auf der Seite',
        'Namen für den Token und nach einer PIN',
        'ersten Passcode',
        'Der Link ist gültig bis Dienstag, 1. Juli 2025 um 10:05 MESZ.',
        'Der Link ist persönlich. Bitte leiten Sie diese E-Mail nicht weiter.',
        'niemals nach Ihrer PIN oder Ihren Passcodes',
        'Fragen? Wenden Sie sich an Service-Desk, Tel. 040 1234.',
      ],
    ],
    [
      'en',
      'Stadt Musterhausen: set up your sign-in token',
      [
        'Hello Erika Mustermann,',
        'Stadt Musterhausen is setting up sign-in with one-time passcodes.',
        'on your smartphone, not on a computer',
        'Follow the steps on the page',
        'a name for the token and a PIN',
        'first passcode',
        'The link can be used until Tuesday, 1 July 2025 at 10:05 CEST.',
        'The link is personal. Please do not forward this e-mail.',
        'never ask you for your PIN or your passcodes',
        'Questions? Please ask Service-Desk, Tel. 040 1234.',
      ],
    ],
  ] as const)('in %s says what to do, until when, and whom to ask', (lang, subject, parts) => {
    const mail = renderEnrollmentMail({ ...base, lang });
    expect(mail.subject).toBe(subject);
    for (const part of parts) {
      expect(mail.text).toContain(part);
      expect(mail.html.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ')).toContain(part);
    }
    expect(mail.html).toMatch(new RegExp(`^<!doctype html>\\s*<html lang="${lang}">`));
  });

  it('has the link in the text on a line of its own, and in the HTML as button and as text', () => {
    const mail = renderEnrollmentMail({ ...base, lang: 'de' });
    expect(mail.text.split('\n').map((line) => line.trim())).toContain(LINK);
    const hrefs = [...squash(mail.html).matchAll(/<a href="([^"]+)"[^>]*>([^<]*)<\/a>/g)];
    expect(hrefs.map((m) => m[1])).toEqual([LINK, LINK]);
    expect(hrefs.map((m) => m[2])).toEqual(['Token einrichten', LINK]);
  });

  it('escapes & in the link inside the HTML attribute', () => {
    const link = 'https://pforte.example.org/enroll/ABC?a=1&b=2';
    const mail = renderEnrollmentMail({ ...base, lang: 'en', link });
    expect(mail.html).toContain('href="https://pforte.example.org/enroll/ABC?a=1&amp;b=2"');
    expect(mail.text).toContain(link);
  });

  it('names the IT department when there is no contact', () => {
    expect(renderEnrollmentMail({ ...base, lang: 'de', contact: '' }).text).toContain(
      'Fragen? Wenden Sie sich an Ihre IT-Abteilung.',
    );
    expect(renderEnrollmentMail({ ...base, lang: 'en', contact: '' }).text).toContain(
      'Questions? Please ask your IT department.',
    );
  });

  it.each(['de', 'en'] as const)(
    'in %s keeps the subject on one line with CR/LF in the organisation and the name',
    (lang) => {
      const mail = renderEnrollmentMail({
        ...base,
        lang,
        organisation: 'ACME\r\nBcc: victim@example.org',
        displayName: 'Eve\nX-Injected: 1\u2028\u0000',
      });
      expect(mail.subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      expect(mail.subject).toContain('ACME Bcc: victim@example.org');
      expect(mail.text).not.toMatch(/^(Bcc|X-Injected):/m);
    },
  );

  it('escapes a hostile display name and organisation in the HTML', () => {
    const mail = renderEnrollmentMail({
      ...base,
      lang: 'en',
      displayName: '<script>alert(1)</script>',
      organisation: '"><img src=x onerror=alert(1)>',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(mail.text).toContain('Hello <script>alert(1)</script>,');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() =>
      renderEnrollmentMail({ ...base, lang: 'de', link: 'javascript:alert(1)' }),
    ).toThrow();
  });
});

describe('toOneLine', () => {
  it.each([
    ['a\r\nb', 'a b'],
    ['a\tb\u0085c', 'a b c'],
    ['  a \n\n  b  ', 'a b'],
    ['a\u2028b\u2029c', 'a b c'],
    ['Zürich – Süd', 'Zürich – Süd'],
  ])('%j → %j', (input, expected) => expect(toOneLine(input)).toBe(expected));
});
