/**
 * "Mein Zugang" for a user from a real OpenLDAP (Debian's slapd on loopback): the same
 * as for a user Pforte keeps — the link goes to the directory's address, Lost phone
 * revokes.
 */
import { Secret } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { generateTOTP } from '../../src/otp/codes.js';
import { importToken } from '../../src/tokens/tokens.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN } from '../helpers/core.js';
import { hiddenFields, PortalBrowser as Browser } from '../helpers/portal-client.js';
import { directoriesEnv, startSlapd, type TestDirectory } from '../helpers/slapd.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

describe('My access for a directory user', { timeout: 60_000 }, () => {
  let ldap: TestDirectory;
  let smtp: TestSmtp;
  let t: TestApp;
  const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  beforeAll(async () => {
    ldap = await startSlapd();
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await t?.close();
    await smtp.close();
    await ldap.close();
  });

  it('works the same: the link goes to the directory’s address, Lost phone revokes', async () => {
    t = await makeApp('sqlite', {
      PFORTE_DIRECTORIES: directoriesEnv(ldap),
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_MAIL_FROM: 'IT <it@example.org>',
    });
    // Taken in from the directory by an enrollment, then given a known token.
    await startEnrollment(t.core, ADMIN, { username: 'alice', sendMail: false });
    await importToken(t.core, ADMIN, { username: 'alice', secret: SECRET, type: 'totp' });
    const seed = Secret.fromBase32(SECRET).bytes;
    const browser = new Browser(t);
    const otp = generateTOTP(seed, t.clock.now(), { algorithm: 'SHA1', digits: 6, period: 30 });
    await browser.signIn({ username: 'alice', otp, password: 'alice-secret' });

    const sent = await browser.request(
      'POST',
      '/access/new-phone',
      hiddenFields(await browser.request('GET', '/access')),
    );
    expect(sent.body).toContain('Wir haben einen Link an a•••@example.test geschickt.');
    expect(smtp.received.map((m) => m.to)).toEqual([['alice@example.test']]);

    const done = await browser.request(
      'POST',
      '/access/lost-phone',
      hiddenFields(await browser.request('GET', '/access/lost-phone')),
    );
    expect(done.body).toContain('Ihr Token ist widerrufen.');
    const states = await t.core.store.db.selectFrom('tokens').select('state').execute();
    expect(states).toEqual([{ state: 'revoked' }]);
    expect(smtp.received).toHaveLength(2);
  });
});
