// @ts-check
// Portal sign-ins per second (the sign-in form posted with its CSRF token, password
// and passcode; answered with a new session) against the same raw argon2id rate as
// the password sign-ins (one rate measured around both).
import { portalBodies, portalForm } from '../lib/bodies.js';
import { measure } from '../lib/load.js';
import { rawArgon2Yardstick } from '../lib/raw-argon2.js';
import { argon2RatioRow, signInRow } from './password-sign-in.js';

/** @typedef {import('../lib/types.js').LoadRun} LoadRun */
/** @typedef {import('../lib/raw-argon2.js').Argon2Rate} Argon2Rate */

/** @type {import('../lib/types.js').Scenario<LoadRun, Argon2Rate>} */
export const portalSignIn = {
  name: 'portal sign-ins',
  cpus: 'all',
  yardstick: rawArgon2Yardstick,
  async run(bench) {
    const form = await portalForm(bench.server.url);
    return measure(
      'portal sign-in (form, CSRF, password, passcode)',
      bench.server,
      bench.settings,
      {
        base: bench.server.url,
        portal: { cookie: form.cookie },
        request: portalBodies(bench.users.portal, form.token),
      },
    );
  },
  target: { bound: '≥', value: 0.7 },
  rows({ run, yardstick: raw, bench: { cores } }) {
    return [
      signInRow('Portal sign-ins/s (form post with CSRF, password, passcode)', run, cores),
      argon2RatioRow('Portal sign-ins ÷ raw verifies', run, raw, this.target),
    ];
  },
};
