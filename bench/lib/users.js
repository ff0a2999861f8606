// @ts-check
// Data: users with HOTP tokens whose counters the bench tracks, so that every request
// carries the next valid code (never a replay; reordering stays within the look-ahead).
// Created through the REST API: one process start per user would be slow.
import { Secret } from 'otpauth';

/** @typedef {import('./types.js').BenchUser} BenchUser */

/**
 * @param {string} prefix
 * @param {number} count
 * @param {boolean} withPassword
 * @returns {BenchUser[]}
 */
export function makeUsers(prefix, count, withPassword) {
  return Array.from({ length: count }, (_, i) => {
    const username = `${prefix}-${String(i).padStart(5, '0')}`;
    return {
      username,
      secret: new Secret({ size: 20 }),
      counter: 0,
      ...(withPassword ? { password: `bench password ${username}` } : {}),
    };
  });
}

/**
 * Directory users: their passwords live in the directory, the bench adds their tokens.
 * @param {import('./types.js').Person[]} people
 * @returns {BenchUser[]}
 */
export function directoryUsers(people) {
  return people.map((person) => ({
    username: person.uid,
    secret: new Secret({ size: 20 }),
    counter: 0,
    password: person.password,
  }));
}

/**
 * A REST API call with a key; its JSON answer.
 * @param {string} base
 * @param {string} key
 * @param {string} method
 * @param {string} pathname
 * @param {unknown} body
 * @returns {Promise<any>}
 */
export async function api(base, key, method, pathname, body) {
  const response = await globalThis.fetch(`${base}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/**
 * `task` for every item, at most `limit` at a time.
 * @template T
 * @param {T[]} items
 * @param {number} limit
 * @param {(item: T) => Promise<void>} task
 */
async function inParallel(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(/** @type {T} */ (items[next++]));
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Creates the users, each with a HOTP token.
 * @param {string} base
 * @param {string} adminKey
 * @param {BenchUser[]} users
 */
export async function provision(base, adminKey, users) {
  await inParallel(users, 8, async (user) => {
    await api(base, adminKey, 'POST', '/api/v1/users', {
      username: user.username,
      email: `${user.username}@bench.example.org`,
      ...(user.password ? { password: user.password } : {}),
    });
    await addHotpToken(base, adminKey, user);
  });
}

/**
 * Directory users: their enrollment takes them in from the directory; then a token.
 * @param {string} base
 * @param {string} adminKey
 * @param {BenchUser[]} users
 */
export async function provisionDirectoryUsers(base, adminKey, users) {
  await inParallel(users, 8, async (user) => {
    await api(base, adminKey, 'POST', '/api/v1/enrollments', {
      username: user.username,
      sendMail: false,
    });
    await addHotpToken(base, adminKey, user);
  });
}

/**
 * A HOTP token with the user's secret; the bench counts codes on from its counter.
 * @param {string} base
 * @param {string} adminKey
 * @param {BenchUser} user
 */
async function addHotpToken(base, adminKey, user) {
  const token = await api(base, adminKey, 'POST', '/api/v1/tokens', {
    username: user.username,
    secret: user.secret.base32,
    type: 'hotp',
  });
  user.counter = token.counter ?? 0;
}
