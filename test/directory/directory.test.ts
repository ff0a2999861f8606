/**
 * Users and passwords from a real OpenLDAP (Debian's slapd on loopback): sign-in with the
 * directory password and a passcode, wrong and empty passwords, unknown and hostile
 * usernames, enrollment of directory users (one, and everyone a filter finds) with mail
 * to a loopback SMTP server, a user removed from the directory, the directory going down
 * (fail closed) and coming back (recover), TLS with a CA made for the test, and failover.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from 'otpauth';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { deliverNow } from '../../src/mail/outbox.js';
import { findLiveSession, startSession } from '../../src/sessions/sessions.js';
import { decideSignIn } from '../../src/signin/decide.js';
import { findUserRow } from '../../src/users/users.js';
import { importToken } from '../../src/tokens/tokens.js';
import { generateTOTP } from '../../src/otp/codes.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { ADMIN, SERVICE } from '../helpers/core.js';
import { startHangSwitch } from '../helpers/hang-switch.js';
import { freePort } from '../helpers/ports.js';
import {
  directoriesEnv,
  SERVICE_PASSWORD,
  startSlapd,
  type TestDirectory,
} from '../helpers/slapd.js';
import { parseAll, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const SEED = Secret.fromBase32(SECRET).bytes;

describe('LDAP directories', { timeout: 60_000 }, () => {
  let ldap: TestDirectory;
  let smtp: TestSmtp;
  let t: TestApp;
  const open = async (changes: Record<string, unknown> = {}) => {
    t = await makeApp('sqlite', {
      PFORTE_DIRECTORIES: directoriesEnv(ldap, changes),
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_MAIL_FROM: 'IT <it@example.test>',
    });
    return t;
  };

  beforeAll(async () => {
    ldap = await startSlapd();
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await ldap.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });
  afterEach(async () => {
    await t?.close();
    await ldap.start().catch(() => undefined);
  });

  /** Enrolls a directory user (creating them in Pforte) and gives them a known token. */
  async function withToken(username: string): Promise<(at?: number) => string> {
    await startEnrollment(t.core, ADMIN, { username, sendMail: false });
    await importToken(t.core, ADMIN, { username, secret: SECRET, type: 'totp' });
    return (at = t.clock.now()) =>
      generateTOTP(SEED, at, { algorithm: 'SHA1', digits: 6, period: 30 });
  }
  /** POST /api/v1/validate as a service does. */
  const validate = (username: string, password: string, otp: string) =>
    t.call({
      method: 'POST',
      url: '/api/v1/validate',
      key: t.validateKey,
      payload: { username, password, otp },
    });
  const signIn = (username: string, password: string | undefined, otp: string) =>
    decideSignIn(t.core, SERVICE, {
      username,
      otp,
      ...(password === undefined ? {} : { password }),
    });

  it('signs in with the directory password and a passcode; refuses wrong and empty passwords', async () => {
    await open();
    const code = await withToken('alice');
    expect((await signIn('alice', 'wrong', code())).reason).toBe('wrong_password');
    expect((await signIn('alice', '', code())).reason).toBe('wrong_password');
    const accepted = await signIn('Alice', 'alice-secret', code());
    expect(accepted).toMatchObject({ result: 'accept' });
    expect((await signIn('nobody', 'x', code())).reason).toBe('unknown_user');
  });

  it('never binds with an empty password, even when the directory is down', async () => {
    await open();
    await ldap.stop();
    const [directory] = t.core.directories;
    expect(await directory!.checkPassword(`uid=alice,ou=people,dc=example,dc=test`, '')).toBe(
      false,
    );
  });

  it('escapes usernames in filters: wildcards and parentheses find nobody', async () => {
    await open();
    const [directory] = t.core.directories;
    expect(directory!.userFilter('*)(uid=*')).toBe(
      '(&(objectClass=inetOrgPerson)(uid=\\2a\\29\\28uid=\\2a))',
    );
    for (const hostile of [
      '*',
      'a*',
      'alice)(uid=*',
      '*)(|(uid=*',
      'alice\\',
      'al\u0000ice',
      '(uid=alice)',
    ]) {
      expect(await directory!.findUser(hostile)).toBeUndefined();
    }
    expect((await directory!.findUser('alice'))?.email).toBe('alice@example.test');
    // Through the sign-in, such names are refused before any directory is asked.
    await expect(signIn('*', 'x', '123456')).rejects.toThrow(/username must be/);
  });

  it('enrolls a directory user without creating them first, mailing the directory’s address', async () => {
    await open();
    const started = await startEnrollment(t.core, ADMIN, { username: 'bernd' });
    // As the CLI and REST do: the sender delivers what it queued.
    await deliverNow(t.core, started.mail!.id);
    const [mail] = await parseAll(smtp.received);
    expect(mail!.to).toEqual(['bernd@example.test']);
    expect(mail!.parsed.subject).toMatch(/Token/);
    const user = await t.call({ method: 'GET', url: '/api/v1/users/bernd' });
    expect(user.json()).toMatchObject({
      username: 'bernd',
      name: 'Bernd Beispiel',
      email: 'bernd@example.test',
      lang: 'de',
      hasPassword: false,
      directory: 'main',
    });
    expect(started.link).toMatch(/\/enroll\//);
    const unknown = await cli(t.env, ['enroll', 'zoe', '--no-mail']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/user not found/);
  });

  it('enrolls everyone a filter finds, with progress and summary, and mails no one twice', async () => {
    await open();
    const first = await cli(t.env, ['enroll', '--ldap-filter', '(departmentNumber=sales)']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 rows: 2 mailed, 0 in the outbox, 0 skipped, 0 failed');
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
      'alice@example.test',
      'bernd@example.test',
    ]);
    const again = await cli(t.env, ['enroll', '--ldap-filter', '(departmentNumber=sales)']);
    expect(again.stdout).toContain('2 rows: 0 mailed, 0 in the outbox, 2 skipped, 0 failed');
    expect(smtp.received).toHaveLength(2);
    await t.close();

    // Users the user filter leaves out (here: German speakers, as a disabled flag would)
    // are not enrolled, whatever the administrator's filter finds.
    await open({ userFilter: '(&(uid={username})(!(preferredLanguage=de)))' });
    const filtered = await cli(t.env, [
      'enroll',
      '--ldap-filter',
      '(departmentNumber=sales)',
      '--resend',
    ]);
    expect(filtered.stdout).toContain('1 rows: 1 mailed');
    expect(smtp.received.at(-1)!.to).toEqual(['alice@example.test']);
    expect((await cli(t.env, ['enroll', '--ldap-filter', 'uid=*'])).stderr).toMatch(
      /in parentheses/,
    );
  });

  it('refuses a user removed from the directory, even with an active token', async () => {
    await open();
    const code = await withToken('carla');
    expect((await signIn('carla', 'carla-secret', code())).result).toBe('accept');
    const session = await startSession(t.core, (await findUserRow(t.core, 'carla'))!);
    await ldap.removePerson('carla');
    // Her portal session ends too, at the next minute's check.
    expect(await findLiveSession(t.core, session)).toBeDefined();
    t.clock.advance(61_000);
    expect(await findLiveSession(t.core, session)).toBeUndefined();
    t.clock.advance(30_000);
    expect((await signIn('carla', 'carla-secret', code())).reason).toBe('directory_user_gone');
    t.clock.advance(30_000);
    expect((await signIn('carla', undefined, code())).reason).toBe('directory_user_gone');
  });

  it('fails closed while the directory is down, keeps serving the rest, and recovers', async () => {
    await open();
    const code = await withToken('alice');
    await ldap.stop();
    const refused = await validate('alice', 'alice-secret', code());
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('ERR_DIRECTORY_UNAVAILABLE');
    expect((await t.call({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // An unknown name gets the same answer meanwhile: an outage reveals no usernames.
    const unknown = await validate('nobody', 'x', code());
    expect(unknown.statusCode).toBe(503);
    const [event] = (await listAudit(t.core, { username: 'alice', limit: 1 })).items;
    expect(event).toMatchObject({
      action: 'signin',
      outcome: 'reject',
      reason: 'directory_unavailable',
    });

    await ldap.start();
    const back = await validate('alice', 'alice-secret', code());
    expect(back.json()).toEqual({ result: 'accept' });
  });

  it.each([
    ['ldap://', {}],
    ['StartTLS', { startTls: true }],
  ])(
    'signs in right after a directory restart over %s, although its kept connections are gone',
    async (_name, changes) => {
      await open({ ...changes, caFile: ldap.caFile });
      const code = await withToken('alice');
      expect((await signIn('alice', 'alice-secret', code())).result).toBe('accept');
      await ldap.stop();
      await ldap.start();
      t.clock.advance(30_000);
      expect((await signIn('alice', 'alice-secret', code())).result).toBe('accept');
    },
  );

  it('gives up a StartTLS handshake that never finishes, at the deadline', async () => {
    const relay = await startHangSwitch(ldap.url);
    try {
      // The deadlines of directoriesEnv (1 s, 2 s): short ones would be missed by the
      // calls after the release too, on a machine that stalls for a moment.
      await open({ urls: [relay.url], startTls: true, caFile: ldap.caFile });
      relay.hang();
      await expect(t.core.directories[0]!.findUser('alice')).rejects.toMatchObject({
        problem: 'timeout',
      });
      relay.release();
      expect((await t.core.directories[0]!.findUser('alice'))?.email).toBe('alice@example.test');
    } finally {
      await relay.close();
    }
  });

  it('reads its files only when asked, and says which one it cannot read', async () => {
    await open({ bindPassword: '', bindPasswordFile: '/nonexistent/ldap-password' });
    expect((await cli(t.env, ['user', 'list'])).code).toBe(0);
    const test = await cli(t.env, ['directory', 'test', '--json']);
    expect(JSON.parse(test.stdout)[0]).toMatchObject({ problem: 'files_unreadable' });
    expect(JSON.parse(test.stdout)[0].message).toContain('/nonexistent/ldap-password');
  });

  it('refuses a service account without a password: that bind would be anonymous', async () => {
    await expect(open({ bindPassword: '' })).rejects.toThrow(/bindDn needs bindPassword/);
  });

  it('does not wait longer than the timeout for a directory that hangs', async () => {
    const relay = await startHangSwitch(ldap.url);
    try {
      await open({ urls: [relay.url] });
      const code = await withToken('alice');
      relay.hang();
      const hung = await validate('alice', 'alice-secret', code());
      expect(hung.statusCode).toBe(503);
      relay.release();
      t.clock.advance(30_000);
      expect((await signIn('alice', 'alice-secret', code())).result).toBe('accept');
    } finally {
      await relay.close();
    }
  });

  it('reads the service password from a file, and says so in the portal when the directory is down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pforte-ldap-secret-'));
    const file = join(dir, 'password');
    writeFileSync(file, `${SERVICE_PASSWORD}\n`, { mode: 0o600 });
    await open({ bindPassword: '', bindPasswordFile: file });
    expect((await cli(t.env, ['directory', 'test', '--user', 'bernd'])).code).toBe(0);
    const code = await withToken('bernd');
    await ldap.stop();
    const page = await t.app.inject({ method: 'GET', url: '/login' });
    const cookie = [page.headers['set-cookie']].flat()[0]!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const refused = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrf,
        username: 'bernd',
        otp: code(),
        password: 'bernd-secret',
      }).toString(),
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.body).toContain('Das Benutzerverzeichnis antwortet nicht.');
    rmSync(dir, { recursive: true, force: true });
  });

  it('speaks TLS with the configured CA, and refuses a certificate that does not match', async () => {
    await open({ urls: [ldap.ldapsUrl], caFile: ldap.caFile });
    expect((await t.core.directories[0]!.findUser('alice'))?.name).toBe('Alice Example');
    await t.close();
    await open({ startTls: true, caFile: ldap.caFile });
    expect((await t.core.directories[0]!.findUser('alice'))?.name).toBe('Alice Example');
    await t.close();
    await open({ urls: [ldap.mismatchedUrl], caFile: ldap.caFile });
    const mismatch = await cli(t.env, ['directory', 'test']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toMatch(/main: tls_failed: .*TLS connection failed/);
    await t.close();
    await open({ urls: [ldap.ldapsUrl] }); // no CA: the test CA is not trusted
    expect((await cli(t.env, ['directory', 'test'])).stdout).toMatch(/tls_failed/);
  });

  it('tries the next address when one is down, and says what fails in `directory test`', async () => {
    const closed = `ldap://127.0.0.1:${await freePort()}`;
    await open({ urls: [closed, ldap.url] });
    const ok = await cli(t.env, ['directory', 'test', '--user', 'alice']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      `main: connected to ${ldap.url}, service account bound, search works`,
    );
    expect(ok.stdout).toContain('user alice: uid=alice,ou=people,dc=example,dc=test');
    expect(ok.stdout).toContain('e-mail alice@example.test, name Alice Example, language en');
    expect((await cli(t.env, ['directory', 'test', '--user', 'zoe'])).stdout).toContain(
      'main: user_not_found',
    );
    await t.close();

    await open({ urls: [closed] });
    const down = await cli(t.env, ['directory', 'test', '--json']);
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)[0]).toMatchObject({
      directory: 'main',
      ok: false,
      problem: 'cannot_connect',
    });
    await t.close();

    await open({ bindPassword: 'not-the-password' });
    const badCredentials = await cli(t.env, ['directory', 'test', '--json']);
    expect(JSON.parse(badCredentials.stdout)[0].problem).toBe('service_credentials');
    await t.close();

    await open({ userFilter: '(|(uid={username})(departmentNumber=sales))' });
    const several = await cli(t.env, ['directory', 'test', '--user', 'carla']);
    expect(several.stdout).toContain('main: several_users');
    for (const output of [ok, down, badCredentials, several]) {
      expect(output.stdout + output.stderr).not.toContain(SERVICE_PASSWORD);
      expect(output.stdout + output.stderr).not.toContain('not-the-password');
    }
  });
});
