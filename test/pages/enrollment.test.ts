/**
 * The enrollment pages in German and English: the steps for each device, the texts users
 * read, hostile names shown as text, and nothing inline that the page CSP would block.
 */
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/http/enroll/device.js';
import {
  renderEnrollmentDonePage,
  renderEnrollmentPage,
  renderInvalidCodePage,
  renderStandardAppPage,
  type EnrollmentPageView,
} from '../../src/http/enroll/page.js';
import type { Lang } from '../../src/text/i18n.js';
import { expectNoInlineCode, expectWellFormedPage, squash, visibleText } from './page-checks.js';

const CODE = 'ABCDE-FGHJK-MNPQR-STVWX-YZ012';
const PUBLIC = 'https://pforte.example.org';

function view(overrides: Partial<EnrollmentPageView> = {}): EnrollmentPageView {
  return {
    lang: 'de',
    organisation: 'Stadt Musterhausen',
    contact: 'Service-Desk, Tel. 040 1234',
    displayName: 'Erika Mustermann',
    codeGroups: CODE,
    pageUrl: `${PUBLIC}/enroll/${CODE.replaceAll('-', '')}`,
    appUrl: `${PUBLIC}/app/#enroll=${CODE.replaceAll('-', '')}`,
    expiresAt: new Date('2025-03-14T16:45:00Z'),
    device: 'android',
    helpUrls: {
      android: 'https://help.example.org/android',
      iphone: 'https://help.example.org/iphone',
    },
    ...overrides,
  };
}

/** The path data the QR library draws for `text`: deterministic, so it identifies the code. */
async function qrPathFor(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
}

const LANGS: Lang[] = ['de', 'en'];
const DEVICES: Device[] = ['android', 'iphone', 'computer'];

describe('enrollment page', () => {
  describe.each(LANGS)('in %s', (lang) => {
    it.each(DEVICES)('on %s is a well-formed page without inline code', async (device) => {
      const doc = squash(
        await renderEnrollmentPage(view({ lang, device, standardAppAction: '/x' })),
      );
      expectWellFormedPage(doc, lang);
    });
  });

  it.each([
    ['de', 'Token einrichten', 'Hallo Erika Mustermann,', 'Freitag, 14. März 2025 um 17:45 MEZ'],
    [
      'en',
      'Set up your sign-in token',
      'Hello Erika Mustermann,',
      'Friday, 14 March 2025 at 17:45 CET',
    ],
  ] as const)(
    'in %s has the heading, the greeting and the expiry in Berlin time',
    async (lang, title, greeting, when) => {
      const doc = squash(await renderEnrollmentPage(view({ lang })));
      expect(doc).toContain(`<h1>${title}</h1>`);
      expect(doc).toContain(`<title>${title} – Stadt Musterhausen</title>`);
      const text = visibleText(doc);
      expect(text).toContain(greeting);
      expect(text).toContain(when);
    },
  );

  describe('on Android', () => {
    it.each([
      ['de', 'Token importieren', 'Kopieren', 'Kopiert', 'Zum Startbildschirm hinzufügen'],
      ['en', 'Import the token', 'Copy', 'Copied', 'Add to Home screen'],
    ] as const)(
      'in %s: install, import, copy',
      async (lang, importLabel, copy, copied, install) => {
        const doc = squash(await renderEnrollmentPage(view({ lang, device: 'android' })));
        const text = visibleText(doc);
        expect(text).toContain(install);
        expect(doc).toContain(`href="${PUBLIC}/app/">`);
        expect(doc).toContain('href="https://help.example.org/android"');
        expect(doc).toMatch(
          new RegExp(
            `<a class="button button-primary" href="${PUBLIC}/app/#enroll=ABCDEFGHJKMNPQRSTVWXYZ012">${importLabel}</a>`,
          ),
        );
        expect(doc).toContain(`<code id="enrollment-string" class="copy-value">${CODE}</code>`);
        expect(doc).toMatch(
          new RegExp(
            `<button type="button" class="button" data-copy="enrollment-string" data-copied-label="${copied}"[^>]*>${copy}</button>`,
          ),
        );
        expect(doc).not.toContain('<svg');
        expect(doc).not.toContain('help.example.org/iphone');
      },
    );

    it('numbers the steps install → import → copy', async () => {
      const doc = squash(await renderEnrollmentPage(view({ lang: 'en', device: 'android' })));
      const headings = [...doc.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
      expect(headings).toEqual([
        'Install the authenticator',
        'Import the token',
        'Or: copy the enrollment string',
      ]);
    });
  });

  describe('on iPhone', () => {
    it.each([
      ['de', 'Zum Home-Bildschirm', 'Ist die App bereits installiert?', 'Safari'],
      ['en', 'Add to Home Screen', 'Is the app already installed?', 'Safari'],
    ] as const)(
      'in %s: Home Screen first, then paste; import only if installed',
      async (lang, addLabel, already, safari) => {
        const doc = squash(await renderEnrollmentPage(view({ lang, device: 'iphone' })));
        const text = visibleText(doc);
        expect(text).toContain(addLabel);
        expect(text).toContain(safari);
        expect(doc).toContain(`href="${PUBLIC}/app/">`);
        expect(doc).toContain('href="https://help.example.org/iphone"');
        expect(doc).toContain(`<code id="enrollment-string" class="copy-value">${CODE}</code>`);
        expect(doc).toContain('data-copy="enrollment-string"');
        // The import link comes after the Home Screen explanation, under its own heading.
        const install = text.indexOf(addLabel);
        const importHeading = text.indexOf(already);
        expect(install).toBeGreaterThan(-1);
        expect(importHeading).toBeGreaterThan(install);
        expect(doc.indexOf(`href="${PUBLIC}/app/#enroll=`)).toBeGreaterThan(doc.indexOf(already));
        expect(doc).not.toContain('<svg');
      },
    );
  });

  describe('on a computer', () => {
    it.each([
      [
        'de',
        'Bitte öffnen Sie diesen Link auf Ihrem Smartphone',
        'QR-Code mit dem Link zu dieser Seite',
      ],
      ['en', 'Please open this link on your smartphone', 'QR code with the link to this page'],
    ] as const)(
      'in %s shows a labelled QR code of the page and the string',
      async (lang, heading, label) => {
        const v = view({ lang, device: 'computer' });
        const doc = squash(await renderEnrollmentPage(v));
        expect(doc).toContain(`<h2>${heading}</h2>`);
        expect(doc).toContain(`<figure class="qr"><svg role="img" aria-label="${label}"`);
        expect(doc).toContain(`d="${await qrPathFor(v.pageUrl)}"`);
        expect(doc).toContain(`<code id="enrollment-string" class="copy-value">${CODE}</code>`);
        expect(doc).not.toContain('#enroll=');
      },
    );
  });

  describe('another authenticator app', () => {
    it.each(DEVICES)('is offered on %s when allowed', async (device) => {
      const doc = squash(
        await renderEnrollmentPage(
          view({ device, standardAppAction: '/enroll/ABCDEFGHJKMNPQRSTVWXYZ012/standard' }),
        ),
      );
      expect(doc).toMatch(
        /<form method="post" action="\/enroll\/ABCDEFGHJKMNPQRSTVWXYZ012\/standard">\s*<button type="submit" class="button">Andere Authenticator-App verwenden<\/button>/,
      );
      expect(visibleText(doc)).toContain('Google Authenticator oder FreeOTP');
    });

    it('is labelled in English', async () => {
      const doc = squash(await renderEnrollmentPage(view({ lang: 'en', standardAppAction: '/s' })));
      expect(doc).toContain('>Use another authenticator app</button>');
      expect(visibleText(doc)).toContain('Google Authenticator or FreeOTP');
    });

    it('is not offered when policy does not allow it', async () => {
      const doc = squash(await renderEnrollmentPage(view()));
      expect(doc).not.toContain('<form');
      expect(doc).not.toContain('FreeOTP');
    });
  });

  it.each([
    [
      'de',
      'Service-Desk, Tel. 040 1234',
      'Fragen? Wenden Sie sich an Service-Desk, Tel. 040 1234.',
    ],
    ['de', '', 'Fragen? Wenden Sie sich an Ihre IT-Abteilung.'],
    ['en', 'it@example.org', 'Questions? Please ask it@example.org.'],
    ['en', '', 'Questions? Please ask your IT department.'],
  ] as const)('in %s names whom to ask (contact %j)', async (lang, contact, line) => {
    const doc = squash(await renderEnrollmentPage(view({ lang, contact })));
    expect(visibleText(doc)).toContain(line);
  });

  describe('hostile values are shown as text', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      "' onfocus='alert(1)",
    ];
    it.each(DEVICES)('on %s', async (device) => {
      for (const value of hostile) {
        const doc = squash(
          await renderEnrollmentPage(
            view({ device, displayName: value, organisation: value, contact: value }),
          ),
        );
        expectNoInlineCode(doc);
        expect(doc).not.toContain(value);
        expect(visibleText(doc)).toContain(value);
      }
    });
  });

  it('refuses a javascript: help link rather than rendering it', async () => {
    await expect(
      renderEnrollmentPage(view({ helpUrls: { android: 'javascript:alert(1)', iphone: '/' } })),
    ).rejects.toThrow();
  });
});

describe('invalid code page', () => {
  it.each([
    [
      'de',
      'Dieser Link kann nicht verwendet werden',
      'schon benutzt',
      'abgelaufen',
      'neueren ersetzt',
      'Bitte wenden Sie sich für eine neue Token-Einrichtung an Ihre IT-Abteilung.',
    ],
    [
      'en',
      'This link cannot be used',
      'used already',
      'expired',
      'replaced by a newer one',
      'Please ask your IT department',
    ],
  ] as const)(
    'in %s explains the three reasons and what to do',
    (lang, title, used, expired, replaced, ask) => {
      const doc = squash(
        renderInvalidCodePage({ lang, organisation: 'Stadt Musterhausen', contact: '' }),
      );
      expectWellFormedPage(doc, lang);
      expect(doc).toContain(`<h1>${title}</h1>`);
      const text = visibleText(doc);
      for (const part of [used, expired, replaced, ask]) expect(text).toContain(part);
    },
  );

  it('names the contact when there is one', () => {
    const doc = squash(
      renderInvalidCodePage({ lang: 'de', organisation: 'X', contact: 'Herrn Meier' }),
    );
    expect(visibleText(doc)).toContain(
      'Bitte wenden Sie sich für eine neue Token-Einrichtung an Herrn Meier.',
    );
  });
});

describe('standard authenticator page', () => {
  const OTPAUTH =
    'otpauth://totp/Stadt%20Musterhausen:erika?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadt%20Musterhausen&algorithm=SHA1&digits=6&period=30';
  const base = {
    organisation: 'Stadt Musterhausen',
    otpauthUri: OTPAUTH,
    secretGroups: 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
    confirmAction: '/enroll/ABCDEFGHJKMNPQRSTVWXYZ012/standard/confirm',
  };

  it.each([
    ['de', 'Angezeigter Code', 'Aktivieren', 'zeitbasiert (TOTP)', '30 Sekunden'],
    ['en', 'Code shown in the app', 'Activate', 'time-based (TOTP)', '30 seconds'],
  ] as const)(
    'in %s shows QR, key, settings and the code form',
    async (lang, label, button, type, period) => {
      const doc = squash(await renderStandardAppPage({ ...base, lang }));
      expectWellFormedPage(doc, lang);
      expect(doc).toMatch(/<figure class="qr"><svg role="img" aria-label="[^"]+"/);
      expect(doc).toContain(`d="${await qrPathFor(OTPAUTH)}"`);
      expect(doc).toContain(`href="${OTPAUTH.replaceAll('&', '&amp;')}"`);
      expect(doc).toContain(
        '<code id="secret" class="copy-value">JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP</code>',
      );
      const text = visibleText(doc);
      for (const setting of [type, 'SHA-1', '6', period]) expect(text).toContain(setting);
      expect(doc).toContain(`<form method="post" action="${base.confirmAction}" class="otp-form">`);
      expect(doc).toContain(`<label for="otp">${label}</label>`);
      const input = /<input [^>]*>/.exec(doc)![0];
      for (const attr of [
        'id="otp"',
        'name="otp"',
        'type="text"',
        'inputmode="numeric"',
        'autocomplete="one-time-code"',
        'pattern="[0-9]{6}"',
        'required',
      ]) {
        expect(input).toContain(attr);
      }
      expect(doc).toContain(`>${button}</button>`);
      expect(doc).not.toContain('role="alert"');
    },
  );

  it.each([
    ['de', 'Dieser Code war nicht richtig'],
    ['en', 'That code was not right'],
  ] as const)('in %s says when the code was wrong', async (lang, message) => {
    const doc = squash(await renderStandardAppPage({ ...base, lang, error: 'wrong_code' }));
    expectWellFormedPage(doc, lang);
    expect(doc).toMatch(new RegExp(`<p class="alert" id="otp-error" role="alert">${message}`));
    const input = /<input [^>]*>/.exec(doc)![0];
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-describedby="otp-hint otp-error"');
  });

  it('refuses an otpauth URI that is not one', async () => {
    await expect(
      renderStandardAppPage({ ...base, lang: 'de', otpauthUri: 'javascript:alert(1)' }),
    ).rejects.toThrow();
  });
});

describe('enrollment done page', () => {
  it.each([
    [
      'de',
      'Ihr Token ist aktiv',
      'Benutzername, Token Code',
      'Kennwort',
      'Fragen? Wenden Sie sich an Ihre IT-Abteilung.',
    ],
    [
      'en',
      'Your token is active',
      'username, the token code',
      'password',
      'Questions? Please ask your IT department.',
    ],
  ] as const)('in %s says how to sign in now', (lang, title, fields, password, ask) => {
    const doc = squash(
      renderEnrollmentDonePage({ lang, organisation: 'Stadt Musterhausen', contact: '' }),
    );
    expectWellFormedPage(doc, lang);
    expect(doc).toContain(`<h1>${title}</h1>`);
    const text = visibleText(doc);
    for (const part of [fields, password, ask]) expect(text).toContain(part);
  });
});
