// @ts-check
// Directory sign-ins per second (users from a local OpenLDAP slapd: search, bind as
// the user, passcode) beside raw ldapts binds per second (a new connection, one bind,
// as the sign-in makes) with as many in parallel as there are connections: ratio.
import { performance } from 'node:perf_hooks';
import { Client as LdapClient } from 'ldapts';
import { signInBodies } from '../lib/bodies.js';
import { fmt } from '../lib/format.js';
import { measure } from '../lib/load.js';
import { plainRow, targetRow } from '../lib/targets.js';

/** @typedef {import('../lib/types.js').LoadRun} LoadRun */

/**
 * ldapts alone: a new connection and one bind as a user, `concurrency` at a time.
 * @param {string} url
 * @param {import('../lib/types.js').Person[]} people
 * @param {number} seconds
 * @param {number} concurrency
 */
async function rawLdapBinds(url, people, seconds, concurrency) {
  process.stdout.write(`  raw ldapts bind, ${concurrency} in parallel: measuring ${seconds} s … `);
  let binds = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const person = /** @type {import('../lib/types.js').Person} */ (
        people[next++ % people.length]
      );
      const client = new LdapClient({ url });
      await client.bind(`uid=${person.uid},ou=people,dc=example,dc=test`, person.password);
      await client.unbind();
      binds++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const perSecond = binds / ((performance.now() - started) / 1000);
  console.log(`${fmt(perSecond, 1)} binds/s`);
  return { perSecond };
}

/** @type {import('../lib/types.js').Scenario<LoadRun, { perSecond: number }>} */
export const directorySignIn = {
  name: 'directory sign-ins',
  cpus: 'all',
  yardstick: {
    name: 'raw ldapts binds',
    measure: (bench) =>
      rawLdapBinds(
        bench.ldap.url,
        bench.people,
        bench.settings.duration,
        bench.settings.connections,
      ),
  },
  run: (bench) =>
    measure('directory sign-in (LDAP password, passcode)', bench.server, bench.settings, {
      base: bench.server.url,
      key: bench.serviceKey,
      request: signInBodies(bench.users.directory, { password: true }),
    }),
  target: { bound: '≥', value: 0.5 },
  rows({ run, yardstick: binds, bench }) {
    return [
      plainRow(
        'Directory sign-ins/s (LDAP search + bind as the user, passcode)',
        `${fmt(run.perSecond, 1)} (p50 ${fmt(run.p50)} ms, p99 ${fmt(run.p99)} ms)`,
      ),
      plainRow(
        `Raw ldapts binds/s (${bench.settings.connections} in parallel, a new connection each)`,
        `${fmt(binds.perSecond, 1)}`,
      ),
      targetRow('Directory sign-ins ÷ raw binds', run.perSecond / binds.perSecond, this.target),
    ];
  },
};
