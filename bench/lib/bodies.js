// @ts-check
// The request bodies the load sends: the next user, round-robin, with their next code.
import { HOTP } from 'otpauth';

/** @typedef {import('./types.js').BenchUser} BenchUser */
/** @typedef {import('./load.js').LoadRequest} LoadRequest */

/** The user's next code, counted on. @param {BenchUser} user */
const nextCodeOf = (user) => HOTP.generate({ secret: user.secret, counter: user.counter++ });

/**
 * The next user, round-robin, with their next code: what every face's load sends.
 * @param {BenchUser[]} users
 * @returns {() => { user: BenchUser, otp: string }}
 */
export function nextCodes(users) {
  let next = 0;
  return () => {
    const user = /** @type {BenchUser} */ (users[next++ % users.length]);
    return { user, otp: nextCodeOf(user) };
  };
}

/**
 * Autocannon's requests: the body `bodyOf` makes for the next user, round-robin, with
 * their next code, passing over a user whose last code is still unanswered. A person
 * does not type the next code while the last sign-in runs; and of two codes of one token
 * decided at once the server accepts only the one it commits first (the other is a
 * replay). Under load that happens: of 50 connections opened at once, the last ones'
 * first requests wait up to half a second (a bare Fastify route's too), longer than the
 * round through 500 users takes.
 * @param {BenchUser[]} users
 * @param {(user: BenchUser, otp: string) => string} bodyOf
 * @returns {LoadRequest}
 */
function codeRequests(users, bodyOf) {
  /** @type {Set<BenchUser>} */
  const unanswered = new Set();
  let next = 0;
  const nextUser = () => /** @type {BenchUser} */ (users[next++ % users.length]);
  /** The next user with nothing in flight: one is, with no fewer users than connections. */
  const nextFree = () => {
    let user = nextUser();
    for (let tried = 1; unanswered.has(user) && tried < users.length; tried++) user = nextUser();
    return user;
  };
  return {
    setupRequest(request, context) {
      const user = nextFree();
      unanswered.add(user);
      context.user = user;
      return { ...request, body: bodyOf(user, nextCodeOf(user)) };
    },
    onResponse(_status, _body, context) {
      unanswered.delete(/** @type {BenchUser} */ (context.user));
    },
    forgetUnanswered: () => unanswered.clear(),
  };
}

/**
 * The address user `i` signs in from, as a service passes it on: one per user, from
 * the range RFC 2544 sets aside for benchmarks (198.18.0.0/15).
 * @param {number} i
 */
const endUserAddress = (i) => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

/**
 * What a sign-in carries beside the username and the passcode: the password, and the
 * end user's address (`clientAddress`, the path services are told to use).
 * @typedef {{ password?: boolean, clientAddress?: boolean }} Carried
 */

/**
 * Autocannon's requests for POST /api/v1/validate.
 * @param {BenchUser[]} users
 * @param {Carried} [carried]
 * @returns {LoadRequest}
 */
export function signInBodies(users, carried = {}) {
  const addresses = new Map(users.map((user, i) => [user, endUserAddress(i)]));
  return codeRequests(users, (user, otp) =>
    JSON.stringify({
      username: user.username,
      ...(carried.password ? { password: user.password } : {}),
      otp,
      ...(carried.clientAddress ? { clientAddress: addresses.get(user) } : {}),
    }),
  );
}

/**
 * Autocannon's requests for the portal's form.
 * @param {BenchUser[]} users
 * @param {string} csrfToken
 * @returns {LoadRequest}
 */
export function portalBodies(users, csrfToken) {
  return codeRequests(users, (user, otp) => {
    const form = {
      _csrf: csrfToken,
      username: user.username,
      otp,
      password: user.password ?? '',
    };
    return new globalThis.URLSearchParams(form).toString();
  });
}

/**
 * For the bare route: one body of the same size, made the same way. A fixed body is
 * built once, so the load generator does as little as it can where requests are
 * cheapest (with a fresh body each time, it limits the bare route before the server).
 * @param {BenchUser[]} users
 * @param {Carried} [carried]
 */
export function cannedBody(users, carried = {}) {
  const copies = users.map((user) => ({ ...user, counter: 0 }));
  return signInBodies(copies, carried).setupRequest?.({}, {}).body;
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
