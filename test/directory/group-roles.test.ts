/**
 * Console roles from a directory's groups, against a real OpenLDAP (Debian's slapd on
 * loopback, with the memberof overlay): a member of the admin group is an admin after
 * signing in and opens the console; taken out of the group, the next sign-in takes the
 * role and the console refuses; help-desk groups, groupOfUniqueNames and memberOf; a
 * role set by hand is refused where the groups decide, and left alone where they don't.
 */
import { Secret } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { memberFilter } from '../../src/directory/groups.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { generateTOTP } from '../../src/otp/codes.js';
import { importToken } from '../../src/tokens/tokens.js';
import { setUserRole } from '../../src/users/roles.js';
import { findUserRow } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN } from '../helpers/core.js';
import { PortalBrowser } from '../helpers/portal-client.js';
import { directoriesEnv, groupDn, startSlapd, type TestDirectory } from '../helpers/slapd.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const SEED = Secret.fromBase32(SECRET).bytes;
const PASSWORDS: Record<string, string> = {
  alice: 'alice-secret',
  bernd: 'bernd-secret',
  carla: 'carla-secret',
};
const GROUPS = { adminGroups: [groupDn('pforte-admins')], helpdeskGroups: [groupDn('helpdesk')] };

describe('console roles from directory groups', { timeout: 60_000 }, () => {
  let ldap: TestDirectory;
  let t: TestApp;
  const open = async (changes: Record<string, unknown> = GROUPS) => {
    t = await makeApp('sqlite', { PFORTE_DIRECTORIES: directoriesEnv(ldap, changes) });
    return t;
  };

  beforeAll(async () => {
    ldap = await startSlapd();
  });
  afterAll(async () => ldap.close());
  afterEach(async () => {
    await t?.close();
    await ldap.setGroup('pforte-admins', []);
    await ldap.setGroup('helpdesk', []);
  });

  /** Takes a directory user in (as an enrollment does) and gives them a known TOTP token. */
  async function withToken(username: string): Promise<void> {
    await startEnrollment(t.core, ADMIN, { username, sendMail: false });
    await importToken(t.core, ADMIN, { username, secret: SECRET, type: 'totp' });
  }

  /** Signs in through the portal with the directory password; then the next code is due. */
  async function signIn(username: string): Promise<PortalBrowser> {
    const browser = new PortalBrowser(t);
    const otp = generateTOTP(SEED, t.clock.now(), { algorithm: 'SHA1', digits: 6, period: 30 });
    const answer = await browser.signIn({ username, otp, password: PASSWORDS[username]! });
    expect(answer.statusCode).toBe(303);
    t.clock.advance(30_000);
    return browser;
  }

  const roleOf = async (username: string) => (await findUserRow(t.core, username))?.role;
  const roleEvents = async (username: string) =>
    (await listAudit(t.core, { username })).items
      .filter((event) => event.action === 'user.role')
      .map(({ actor, face, detail }) => ({ actor, face, detail }));

  it('makes a member of the admin group an admin at sign-in, who then opens the console', async () => {
    await open();
    await ldap.setGroup('pforte-admins', ['alice']);
    await withToken('alice');
    // Taken in by the enrollment, alice has the role already.
    expect(await roleOf('alice')).toBe('admin');

    const browser = await signIn('alice');
    const page = await browser.request('GET', '/admin/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Angemeldet als Alice Example (alice) (Administrator)');
  });

  it('takes the role away at the next sign-in once the user left the group, and the console refuses', async () => {
    await open();
    await ldap.setGroup('pforte-admins', ['alice']);
    await withToken('alice');
    expect((await (await signIn('alice')).request('GET', '/admin/')).statusCode).toBe(200);

    await ldap.setGroup('pforte-admins', ['bernd']);
    const browser = await signIn('alice');
    expect(await roleOf('alice')).toBeNull();
    const page = await browser.request('GET', '/admin/');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Kein Zugang zur Verwaltung');
    expect(await roleEvents('alice')).toEqual([
      {
        actor: 'directory:main',
        face: 'system',
        detail: { role: 'none', before: 'admin', from: 'directory' },
      },
      {
        actor: 'directory:main',
        face: 'system',
        detail: { role: 'admin', before: 'none', from: 'directory' },
      },
    ]);
  });

  it('takes the role away within a minute in a console session that stays open', async () => {
    await open();
    await ldap.setGroup('pforte-admins', ['alice']);
    await withToken('alice');
    const browser = await signIn('alice');
    await ldap.setGroup('pforte-admins', []);
    t.clock.advance(61_000);
    // This request runs the session's once-a-minute directory check, which reads the
    // groups; it was let in on the role the session started with.
    await browser.request('GET', '/admin/');
    expect(await roleOf('alice')).toBeNull();
    expect((await browser.request('GET', '/admin/')).statusCode).toBe(403);
  });

  it('makes help-desk group members helpdesk, and an admin group member admin even when in both', async () => {
    await open();
    await ldap.setGroup('helpdesk', ['bernd', 'carla']);
    await ldap.setGroup('pforte-admins', ['carla']);
    await withToken('bernd');
    await withToken('carla');
    await signIn('bernd');
    await signIn('carla');
    expect(await roleOf('bernd')).toBe('helpdesk');
    expect(await roleOf('carla')).toBe('admin');
    const helpdesk = await signIn('bernd');
    const page = await helpdesk.request('GET', '/admin/');
    expect(page.body).toContain('Angemeldet als Bernd Beispiel (bernd) (Helpdesk)');
    // A sign-in that changes nothing records nothing.
    expect(await roleEvents('bernd')).toHaveLength(1);
  });

  it('refuses to set a role by hand for a user whose groups decide it, and changes nothing', async () => {
    await open();
    await ldap.setGroup('helpdesk', ['alice']);
    await withToken('alice');
    const answer = await t.call({
      method: 'PATCH',
      url: '/api/v1/users/alice',
      payload: { role: 'admin' },
    });
    expect(answer.statusCode).toBe(409);
    expect(answer.json().error.message).toMatch(
      /alice's role comes from the groups of directory main .*change the membership there/,
    );
    await expect(setUserRole(t.core, ADMIN, 'alice', null)).rejects.toThrow(
      /role comes from the groups/,
    );
    expect(await roleOf('alice')).toBe('helpdesk');
  });

  it('leaves roles alone for a directory without group settings', async () => {
    await open({});
    await ldap.setGroup('pforte-admins', ['alice']);
    await withToken('alice');
    await withToken('bernd');
    await setUserRole(t.core, ADMIN, 'bernd', 'helpdesk');
    await signIn('alice');
    await signIn('bernd');
    expect(await roleOf('alice')).toBeNull();
    expect(await roleOf('bernd')).toBe('helpdesk');
  });

  it('reads groupOfUniqueNames, and a configured group that does not exist gives no role and fails no sign-in', async () => {
    await open({ ...GROUPS, adminGroups: [groupDn('no-such-group'), groupDn('pforte-admins')] });
    await ldap.setGroup('pforte-admins', ['alice'], { unique: true });
    await withToken('alice');
    await withToken('bernd');
    await signIn('alice');
    await signIn('bernd');
    expect(await roleOf('alice')).toBe('admin');
    expect(await roleOf('bernd')).toBeNull();
  });

  it('reads memberOf from the entry the sign-in finds, the DNs compared whatever their case and spacing', async () => {
    await open({
      groupMembership: 'memberOf',
      adminGroups: ['CN=Pforte-Admins, OU=Groups, DC=example, DC=test'],
      helpdeskGroups: [groupDn('helpdesk')],
    });
    await ldap.setGroup('pforte-admins', ['alice']);
    await ldap.setGroup('helpdesk', ['bernd']);
    await withToken('alice');
    await withToken('bernd');
    expect(await roleOf('alice')).toBe('admin');
    await ldap.setGroup('pforte-admins', []);
    await signIn('alice');
    await signIn('bernd');
    expect(await roleOf('alice')).toBeNull();
    expect(await roleOf('bernd')).toBe('helpdesk');
  });

  it('builds the Active Directory nested-group filter with the DN escaped (LDAP_MATCHING_RULE_IN_CHAIN)', async () => {
    expect(memberFilter('member-in-chain', 'CN=Smith\\, John,OU=Staff,DC=corp')).toBe(
      '(member:1.2.840.113556.1.4.1941:=CN=Smith\\5c, John,OU=Staff,DC=corp)',
    );
    expect(memberFilter('member', 'uid=a*,dc=x')).toBe(
      '(|(member=uid=a\\2a,dc=x)(uniqueMember=uid=a\\2a,dc=x))',
    );
  });
});
