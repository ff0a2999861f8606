/** The help pages the enrollment page links to, in German and English. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, SCREENSHOT_SIZE, screenshotFile } from '../../src/http/help/pages.js';
import { makeApp, type TestApp } from '../helpers/app.js';

describe('help pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite', { PFORTE_ORGANISATION_NAME: 'Hamburg-Cloud' });
  });
  afterAll(async () => t.close());
  const get = (url: string, lang = 'de') =>
    t.app.inject({ method: 'GET', url, headers: { 'accept-language': lang } });

  it('explains installing on Android and iPhone, and the steps of self-enrollment', async () => {
    const android = await get('/help/android');
    expect(android.statusCode).toBe(200);
    expect(android.body).toContain('<html lang="de">');
    expect(android.body).toContain('Zum Startbildschirm hinzufügen');
    expect(android.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await get('/help/iphone', 'en')).body).toContain('Add to Home Screen');
    const steps = (await get('/help/enrollment')).body;
    for (const field of ['Benutzername', 'Token Code', 'Kennwort', 'PIN', 'Aktivieren']) {
      expect(steps).toContain(field);
    }
    expect((await get('/help/enrollment?lang=en')).body).toContain('Token code');
  });

  it('answers each thing that can go wrong in a section a page or mail can link to', async () => {
    const de = (await get('/help/problems')).body;
    for (const id of [
      'new-phone',
      'lost-phone',
      'expired-link',
      'clock',
      'locked',
      'forgot-pin',
      'old-phone',
    ]) {
      expect(de).toContain(`<section id="${id}"`);
    }
    for (const words of [
      'Neues Telefon einrichten',
      'Telefon verloren',
      'Neuen Link senden',
      'PIN vergessen?',
    ]) {
      expect(de).toContain(words);
    }
    const en = (await get('/help/problems', 'en')).body;
    for (const words of ['Set up a new phone', 'Lost phone', 'Send me a new link', 'Forgot PIN?']) {
      expect(en).toContain(words);
    }
  });

  it('ignores a hostile language and answers unknown topics with 404', async () => {
    const odd = await get('/help/android?lang=%3Cscript%3E');
    expect(odd.statusCode).toBe(200);
    expect(odd.body).not.toContain('<script>');
    expect((await get('/help/../../etc/passwd')).statusCode).toBe(404);
    expect((await get('/help/windows')).statusCode).toBe(404);
  });
});

describe('help page screenshots', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite');
  });
  afterAll(async () => t.close());

  it('shows screenshots of the real app that exist for both languages, each with a text', async () => {
    for (const lang of ['de', 'en'] as const) {
      for (const name of SCREENSHOTS) {
        const png = readFileSync(
          new URL(`../../assets/${screenshotFile(lang, name)}`, import.meta.url),
        );
        // A PNG at 1.5 × the phone viewport the help pages lay them out at.
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(png.readUInt32BE(16)).toBe(SCREENSHOT_SIZE.width * 1.5);
        expect(png.readUInt32BE(20)).toBe(SCREENSHOT_SIZE.height * 1.5);
      }
      const shown = new Set<string>();
      for (const topic of ['android', 'iphone', 'enrollment', 'problems']) {
        const page = await t.app.inject({ method: 'GET', url: `/help/${topic}?lang=${lang}` });
        for (const [, src, alt] of page.body.matchAll(
          /<img[^>]*src="([^"]+)"[^>]*alt="([^"]+)"/g,
        )) {
          expect((await t.app.inject({ method: 'GET', url: src! })).statusCode).toBe(200);
          expect(alt).toMatch(lang === 'de' ? /^Bildschirmfoto: / : /^Screenshot: /);
          shown.add(src!);
        }
      }
      expect(shown.size).toBe(SCREENSHOTS.length);
    }
  });
});
