/**
 * A throwaway OpenLDAP `slapd` (Debian's) on loopback for the directory tests and the
 * benchmark (types in slapd.d.ts), after
 * ../shared/recipes/ldap-start.sh: its own folder, a CA and a server certificate made
 * with `openssl` for ldaps:// and StartTLS, a service account, a few people, and groups
 * (the memberof overlay keeps the people's memberOf, as Active Directory does). It can
 * be stopped and started again on the same ports, as a directory that goes down.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, NoSuchObjectError } from 'ldapts';
import { freePort } from './ports.js';
export const BASE_DN = 'dc=example,dc=test';
export const SERVICE_DN = `cn=pforte,ou=services,${BASE_DN}`;
export const SERVICE_PASSWORD = 'service-secret-pw';
const ADMIN_DN = `cn=admin,${BASE_DN}`;
const ADMIN_PASSWORD = 'adminpw';
/** The DN of the test directory's group `cn`. @param {string} cn */
export const groupDn = (cn) => `cn=${cn},ou=groups,${BASE_DN}`;
export const PEOPLE = [
  {
    uid: 'alice',
    password: 'alice-secret',
    name: 'Alice Example',
    mail: 'alice@example.test',
    lang: 'en',
    department: 'sales',
  },
  {
    uid: 'bernd',
    password: 'bernd-secret',
    name: 'Bernd Beispiel',
    mail: 'bernd@example.test',
    lang: 'de',
    department: 'sales',
  },
  {
    uid: 'carla',
    password: 'carla-secret',
    name: 'Carla Muster',
    mail: 'carla@example.test',
    department: 'it',
  },
];
function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function makeCertificates(dir) {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'openssl',
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Pforte Test CA',
    ],
    dir,
  );
  run(
    'openssl',
    ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'],
    dir,
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    ],
    dir,
  );
}
function seed(people) {
  const hash = (password) => run('/usr/sbin/slappasswd', ['-s', password], '/').trim();
  const entries = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example Test`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=services,${BASE_DN}\nobjectClass: organizationalUnit\nou: services`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ${SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: pforte\nuserPassword: ${hash(SERVICE_PASSWORD)}`,
    ...people.map((p) =>
      [
        `dn: uid=${p.uid},ou=people,${BASE_DN}`,
        'objectClass: inetOrgPerson',
        `uid: ${p.uid}`,
        `cn: ${p.name}`,
        `sn: ${p.name.split(' ').at(-1)}`,
        `mail: ${p.mail}`,
        ...(p.lang ? [`preferredLanguage: ${p.lang}`] : []),
        ...(p.department ? [`departmentNumber: ${p.department}`] : []),
        `userPassword: ${hash(p.password)}`,
      ].join('\n'),
    ),
  ];
  return `${entries.join('\n\n')}\n`;
}
export async function startSlapd(people = PEOPLE) {
  const dir = mkdtempSync(join(tmpdir(), 'pforte-slapd-'));
  makeCertificates(dir);
  const adminHash = run('/usr/sbin/slappasswd', ['-s', ADMIN_PASSWORD], '/').trim();
  run('mkdir', ['-p', join(dir, 'db')], dir);
  writeFileSync(
    join(dir, 'slapd.conf'),
    `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
TLSCACertificateFile ${dir}/ca.pem
TLSCertificateFile ${dir}/server.pem
TLSCertificateKeyFile ${dir}/server.key
database mdb
maxsize 104857600
suffix "${BASE_DN}"
rootdn "${ADMIN_DN}"
rootpw ${adminHash}
directory ${dir}/db
overlay memberof
access to attrs=userPassword by self write by anonymous auth by * none
access to * by dn.exact="${SERVICE_DN}" read by * none
`,
  );
  writeFileSync(join(dir, 'seed.ldif'), seed(people));
  run(
    '/usr/sbin/slapadd',
    ['-q', '-f', join(dir, 'slapd.conf'), '-l', join(dir, 'seed.ldif')],
    dir,
  );
  const [port, tlsPort] = [await freePort(), await freePort()];
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  let slapd;
  const start = async () => {
    if (slapd && slapd.exitCode === null) return; // running already
    slapd = spawn(
      '/usr/sbin/slapd',
      ['-f', join(dir, 'slapd.conf'), '-h', `${url}/ ${ldapsUrl}/`, '-d', '0'],
      { stdio: 'ignore' },
    );
    // Ready when the service account can bind; polled, for at most 10 s.
    for (let attempt = 0; ; attempt++) {
      if (slapd.exitCode !== null) throw new Error('slapd ended at start');
      const client = new Client({ url, connectTimeout: 500 });
      try {
        await client.bind(SERVICE_DN, SERVICE_PASSWORD);
        return;
      } catch (error) {
        if (attempt >= 200) throw error;
      } finally {
        await client.unbind().catch(() => undefined);
      }
      await delay(50);
    }
  };
  const stop = async () => {
    if (!slapd || slapd.exitCode !== null) return;
    const ended = new Promise((resolve) => slapd.once('exit', resolve));
    slapd.kill('SIGTERM');
    await ended;
  };
  await start();
  return {
    url,
    ldapsUrl,
    mismatchedUrl: `ldaps://localhost:${tlsPort}`,
    caFile: join(dir, 'ca.pem'),
    start,
    stop,
    async removePerson(uid) {
      const admin = new Client({ url });
      await admin.bind(ADMIN_DN, ADMIN_PASSWORD);
      await admin.del(`uid=${uid},ou=people,${BASE_DN}`);
      await admin.unbind();
    },
    async setGroup(cn, uids, { unique = false } = {}) {
      const admin = new Client({ url });
      await admin.bind(ADMIN_DN, ADMIN_PASSWORD);
      try {
        await admin.del(groupDn(cn)).catch((error) => {
          if (!(error instanceof NoSuchObjectError)) throw error;
        });
        // groupOfNames must have a member: an empty group holds the administrator's DN.
        const members = uids.length
          ? uids.map((uid) => `uid=${uid},ou=people,${BASE_DN}`)
          : [ADMIN_DN];
        await admin.add(groupDn(cn), {
          objectClass: unique ? 'groupOfUniqueNames' : 'groupOfNames',
          cn,
          [unique ? 'uniqueMember' : 'member']: members,
        });
      } finally {
        await admin.unbind();
      }
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
/** A PFORTE_DIRECTORIES value for the test directory, with changes. */
export function directoriesEnv(directory, changes = {}) {
  return JSON.stringify([
    {
      name: 'main',
      urls: [directory.url],
      bindDn: SERVICE_DN,
      bindPassword: SERVICE_PASSWORD,
      baseDn: `ou=people,${BASE_DN}`,
      userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
      connectTimeoutMs: 1000,
      timeoutMs: 2000,
      ...changes,
    },
  ]);
}
