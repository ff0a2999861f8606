// @ts-check
// A Pforte server for the console bench: a fresh data folder made by the CLI, the
// console's data written into it before the server starts (console-data.js), an
// administrator made through the REST API with a TOTP token, and that administrator
// signed in through the portal's form (CSRF token, password, a TOTP code computed
// here): pages are then asked with the session's cookie, as a browser does.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Secret, TOTP } from 'otpauth';
import { seedConsoleData } from './console-data.js';
import { pforteCli, startProcess, stopProcess, tempDirs } from './processes.js';
import { PFORTE } from './settings.js';
import { api } from './users.js';

const OPERATOR = { username: 'bench-admin', password: 'bench operator password' };

/**
 * @param {import('./types.js').Bench} bench
 * @param {number} users
 * @param {number} events
 */
export async function startConsoleServer(bench, users, events) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pforte-bench-console-'));
  tempDirs.add(dataDir);
  const masterKey = randomBytes(32);
  const env = {
    ...bench.baseEnv,
    PFORTE_DATA_DIR: dataDir,
    PFORTE_MASTER_KEY: masterKey.toString('hex'),
    PFORTE_LOG_LEVEL: 'warn',
    PFORTE_RATE_LIMIT_PER_MINUTE: '10000000',
  };
  const close = async () => {
    await rm(dataDir, { recursive: true, force: true });
    tempDirs.delete(dataDir);
  };
  try {
    // The CLI makes the database (and its key): the data goes in before the server starts.
    await pforteCli(['migrate'], env);
    const { key } = JSON.parse(
      await pforteCli(['apikey', 'create', 'bench', '--scope', 'admin', '--json'], env),
    );
    const seeding = performance.now();
    seedConsoleData(dataDir, masterKey, { users, events, now: Date.now() });
    const seedSeconds = (performance.now() - seeding) / 1000;
    const server = await startProcess(
      'pforte serve (console)',
      [PFORTE, 'serve', '--port', '0', '--host', '127.0.0.1'],
      env,
      /Pforte listening on (http:\/\/[^\s"]+)/,
      bench.pinning?.servers,
    );
    bench.processes.push(server);
    const cookie = await signInOperator(server.url, key);
    /** A console page's HTML; anything but 200 ends the bench. @param {string} url */
    const get = async (url) => {
      const response = await globalThis.fetch(`${server.url}${url}`, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      return body;
    };
    return {
      dataDir,
      seedSeconds,
      get,
      close: async () => {
        await stopProcess(server);
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Makes the administrator and signs in through the portal; the cookies a browser holds.
 * @param {string} base
 * @param {string} key
 */
async function signInOperator(base, key) {
  const secret = new Secret({ size: 20 });
  await api(base, key, 'POST', '/api/v1/users', {
    username: OPERATOR.username,
    email: 'bench-admin@bench.example.org',
    password: OPERATOR.password,
  });
  await api(base, key, 'POST', '/api/v1/tokens', {
    username: OPERATOR.username,
    secret: secret.base32,
    type: 'totp',
  });
  await api(base, key, 'PATCH', `/api/v1/users/${OPERATOR.username}`, { role: 'admin' });
  const page = await globalThis.fetch(`${base}/login`);
  const csrf = cookiesOf(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const answer = await globalThis.fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf },
    body: new globalThis.URLSearchParams({
      _csrf: token,
      username: OPERATOR.username,
      otp: TOTP.generate({ secret }),
      password: OPERATOR.password,
    }),
  });
  if (answer.status !== 303) throw new Error(`the operator's sign-in answered ${answer.status}`);
  return `${csrf}; ${cookiesOf(answer)}`;
}

/** The cookies a response sets, as a Cookie header. @param {Response} response */
const cookiesOf = (response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
