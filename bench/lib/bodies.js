// @ts-check
// The request bodies autocannon sends: the next user, round-robin, with their next code.
import { HOTP } from 'otpauth';

/** @typedef {import('./types.js').BenchUser} BenchUser */
/** @typedef {import('autocannon').Request} Request */

/**
 * The next user, round-robin, with their next code: what every face's load sends.
 * @param {BenchUser[]} users
 * @returns {() => { user: BenchUser, otp: string }}
 */
export function nextCodes(users) {
  let next = 0;
  return () => {
    const user = /** @type {BenchUser} */ (users[next++ % users.length]);
    return { user, otp: HOTP.generate({ secret: user.secret, counter: user.counter++ }) };
  };
}

/**
 * An autocannon setupRequest for POST /api/v1/validate.
 * @param {BenchUser[]} users
 * @param {boolean} withPassword
 * @returns {(request: Request) => Request}
 */
export function signInBodies(users, withPassword) {
  const nextCode = nextCodes(users);
  return (request) => {
    const { user, otp } = nextCode();
    const body = withPassword
      ? { username: user.username, password: user.password, otp }
      : { username: user.username, otp };
    return { ...request, body: JSON.stringify(body) };
  };
}

/**
 * An autocannon setupRequest for the portal's form.
 * @param {BenchUser[]} users
 * @param {string} csrfToken
 * @returns {(request: Request) => Request}
 */
export function portalBodies(users, csrfToken) {
  const nextCode = nextCodes(users);
  return (request) => {
    const { user, otp } = nextCode();
    const form = {
      _csrf: csrfToken,
      username: user.username,
      otp,
      password: user.password ?? '',
    };
    return { ...request, body: new globalThis.URLSearchParams(form).toString() };
  };
}

/**
 * For the bare route: one body of the same size, made the same way. A fixed body is
 * built once, so the load generator does as little as it can where requests are
 * cheapest (with a fresh body each time, it limits the bare route before the server).
 * @param {BenchUser[]} users
 */
export function cannedBody(users) {
  return signInBodies(
    users.map((user) => ({ ...user, counter: 0 })),
    false,
  )({}).body;
}

/**
 * The CSRF cookie and form token a browser gets with the sign-in page (reusable).
 * @param {string} base
 */
export async function portalForm(base) {
  const response = await globalThis.fetch(`${base}/login`);
  const cookie = response.headers.getSetCookie().find((c) => c.includes('pforte-csrf='));
  const token = /name="_csrf" value="([^"]+)"/.exec(await response.text())?.[1];
  if (!cookie || !token) throw new Error('the sign-in page has no CSRF cookie or token');
  return { cookie: cookie.split(';')[0] ?? '', token };
}
