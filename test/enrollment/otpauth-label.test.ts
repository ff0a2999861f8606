/**
 * The otpauth:// URI for other authenticator apps names the organisation and the user
 * so that the apps read them back: per the Key Uri Format the label is
 * `issuer:account` and neither may hold a colon, so an organisation name with one
 * (`ACME: Hamburg`) must not break the account out of the label. Read back with
 * otpauth's URI parser and with Google Authenticator's rule (the path split at the
 * first colon, the `issuer` parameter preferred), on SQLite and PostgreSQL.
 */
import { URI } from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { startStandardActivation } from '../../src/enrollment/standard-app.js';
import { ADMIN, DATABASES, makeCore, type TestCore } from '../helpers/core.js';
import { addUserWithToken } from '../helpers/tokens.js';

/** Google Authenticator's reading of a key URI (its `OtpAuthUriParser`, reduced). */
function readLikeGoogleAuthenticator(uri: string): { issuer: string; account: string } {
  const url = new URL(uri);
  const label = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  const colon = label.indexOf(':');
  const prefix = colon >= 0 ? label.slice(0, colon) : '';
  const account = (colon >= 0 ? label.slice(colon + 1) : label).trim();
  return { issuer: url.searchParams.get('issuer') ?? prefix, account };
}

const NAMES = [
  'Pforte',
  'ACME: Hamburg',
  'Stadt A:B:C',
  ':leading colon',
  'Müller & Söhne',
  '100% IT? #1 / Nord',
];

describe.each(DATABASES)('the otpauth:// label on %s', (database) => {
  let t: TestCore;
  afterEach(async () => t.close());

  it.each(NAMES)('gives back the organisation %j and the account', async (name) => {
    t = await makeCore(database, {
      PFORTE_ORGANISATION_NAME: name,
      PFORTE_ENROLLMENT_ALLOW_STANDARD_APPS: 'true',
    });
    await addUserWithToken(t.core, 'alice.example');
    const started = await startEnrollment(t.core, ADMIN, {
      username: 'alice.example',
      sendMail: false,
    });
    const code = new URL(started.link).pathname.split('/enroll/')[1]!;
    const { otpauthUri } = await startStandardActivation(t.core, ADMIN, code);

    const parsed = URI.parse(otpauthUri);
    expect(parsed.issuer).toBe(name);
    expect(parsed.label).toBe('alice.example');
    expect(readLikeGoogleAuthenticator(otpauthUri)).toEqual({
      issuer: name,
      account: 'alice.example',
    });
    // The label holds at most the one separating colon, never one of the name's.
    const label = decodeURIComponent(new URL(otpauthUri).pathname.slice(1));
    expect(label === 'alice.example' || label === `${name}:alice.example`).toBe(true);
    if (!name.includes(':')) expect(label).toBe(`${name}:alice.example`);
  });
});
