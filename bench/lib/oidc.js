// @ts-check
// OpenID Connect load: complete authorization-code sign-ins as a browser and a service
// make them together (authorize → the portal's form → resume → token → userinfo), each
// in a new browser (no single sign-on), and refresh-token requests on existing grants;
// plus the same request loop against the bare route, so the refresh rate has a yardstick
// that pays the same client costs.
//
// The requests go through node:http on kept-alive sockets, and only the headers the
// flow needs are read from the raw list: the load generator shares the machine with
// the server, and fetch() took four times the CPU per request that autocannon takes.
import { Buffer } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { HOTP } from 'otpauth';
import { latencyRecorder } from './latencies.js';

/** @typedef {import('./types.js').BenchUser} BenchUser */
/** @typedef {import('./load.js').Loaded} Loaded */

/**
 * Sign-ins in flight per connection of the other runs: each makes five requests one
 * after the other, so with one per connection the server waits on the client between
 * them and is not busy as it is under the portal run.
 */
export const FLOW_WORKERS_PER_CONNECTION = 3;

/** The service the bench plays: a confidential first-party client with refresh tokens. */
export const OIDC_CLIENT = {
  client_id: 'bench',
  client_secret: randomBytes(32).toString('base64url'),
  redirect_uris: ['http://bench.invalid/callback'],
  name: 'Bench',
  first_party: true,
  grant_types: ['authorization_code', 'refresh_token'],
};

/** PFORTE_OIDC_CLIENTS for the bench's server. */
export const oidcClientsEnv = () => JSON.stringify([OIDC_CLIENT]);

const BASIC = `Basic ${Buffer.from(
  `${OIDC_CLIENT.client_id}:${OIDC_CLIENT.client_secret}`,
).toString('base64')}`;
const REDIRECT = /** @type {string} */ (OIDC_CLIENT.redirect_uris[0]);
const FORM = 'application/x-www-form-urlencoded';

/**
 * An answer: its status, the two headers the flow reads, and the body when asked for.
 * @typedef {{ status: number, location: string | undefined, cookies: string[], body: string }} Answer
 */

/**
 * HTTP/1.1 to one server on kept-alive sockets, at most `sockets` at once (one per
 * worker: each has one request in flight).
 */
export class HttpClient {
  /**
   * @param {string} base
   * @param {number} sockets
   */
  constructor(base, sockets) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {Record<string, string>} headers
   * @param {string} [body]
   * @param {boolean} [read] keep the body (else it is drained unread)
   * @returns {Promise<Answer>}
   */
  send(method, path, headers, body, read = false) {
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { agent: this.agent, host: this.host, port: this.port, method, path, headers },
        (response) => {
          /** @type {Answer} */
          const answer = {
            status: response.statusCode ?? 0,
            location: undefined,
            cookies: [],
            body: '',
          };
          // rawHeaders: a flat [name, value, …] list, before node:http builds its object.
          const raw = response.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) {
            const name = /** @type {string} */ (raw[i]);
            if (name.length === 8 && name.toLowerCase() === 'location')
              answer.location = raw[i + 1];
            else if (name.length === 10 && name.toLowerCase() === 'set-cookie') {
              answer.cookies.push(/** @type {string} */ (raw[i + 1]));
            }
          }
          if (read) {
            response.setEncoding('utf8');
            response.on('data', (chunk) => (answer.body += chunk));
          } else response.resume();
          response.on('end', () => resolve(answer));
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** A browser's cookies for one sign-in. The server writes every URL on its public address (PFORTE_PUBLIC_URL, not set by the bench): only the paths are followed. */
class Browser {
  /** @param {HttpClient} client */
  constructor(client) {
    this.client = client;
    /** @type {Map<string, string>} */
    this.cookies = new Map();
  }

  /**
   * @param {string} url an absolute URL or a path
   * @param {string} [form] a urlencoded body: POST
   */
  async send(url, form) {
    /** @type {Record<string, string>} */
    const headers = {
      cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    };
    if (form !== undefined) headers['content-type'] = FORM;
    const answer = await this.client.send(
      form === undefined ? 'GET' : 'POST',
      pathOf(url),
      headers,
      form,
    );
    for (const set of answer.cookies) {
      const pair = set.slice(0, (set.indexOf(';') + 1 || set.length + 1) - 1);
      const equals = pair.indexOf('=');
      this.cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    return answer;
  }
}

/** The path and query of an absolute URL or a path. @param {string} url */
function pathOf(url) {
  if (url.startsWith('/')) return url;
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
}

/** @param {Answer} answer */
function locationOf(answer) {
  if (!answer.location) throw new Error(`expected a redirect, got ${answer.status}`);
  return answer.location;
}

/**
 * One complete sign-in of `user` at the service; resolves with its refresh token.
 * @param {HttpClient} client
 * @param {{ cookie: string, token: string }} form the portal's CSRF cookie and token
 * @param {BenchUser} user
 */
export async function codeFlow(client, form, user) {
  const browser = new Browser(client);
  const equals = form.cookie.indexOf('=');
  browser.cookies.set(form.cookie.slice(0, equals), form.cookie.slice(equals + 1));
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new globalThis.URLSearchParams({
    client_id: OIDC_CLIENT.client_id,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid profile email',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    nonce: randomBytes(16).toString('base64url'),
    state: randomBytes(16).toString('base64url'),
  });
  const interaction = pathOf(locationOf(await browser.send(`/oidc/auth?${authorize}`)));
  const resume = locationOf(
    await browser.send(
      `${interaction.split('?')[0]}/login`,
      new globalThis.URLSearchParams({
        _csrf: form.token,
        username: user.username,
        otp: HOTP.generate({ secret: user.secret, counter: user.counter++ }),
        password: user.password ?? '',
      }).toString(),
    ),
  );
  const callback = new URL(locationOf(await browser.send(resume)));
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.search.slice(0, 200)}`);
  const tokens = await tokenRequest(client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  const userinfo = await client.send('GET', '/oidc/me', {
    authorization: `Bearer ${tokens.access_token}`,
  });
  if (userinfo.status !== 200) throw new Error(`userinfo: ${userinfo.status}`);
  return /** @type {string} */ (tokens.refresh_token);
}

/**
 * A token endpoint request as the service makes it (HTTP Basic).
 * @param {HttpClient} client
 * @param {Record<string, string>} form
 * @returns {Promise<Record<string, string>>}
 */
export async function tokenRequest(client, form) {
  const answer = await client.send(
    'POST',
    '/oidc/token',
    { authorization: BASIC, 'content-type': FORM },
    new globalThis.URLSearchParams(form).toString(),
    true,
  );
  const body = /** @type {Record<string, string>} */ (JSON.parse(answer.body));
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${body.error}`);
  return body;
}

/**
 * `workers` loops of `step` for `seconds`: what each completed counts as accepted, what
 * failed as an unexpected answer (with its message, three at most).
 * @param {number} workers
 * @param {number} seconds
 * @param {(worker: number) => Promise<unknown>} step
 * @returns {Promise<Loaded>}
 */
export async function loopLoad(workers, seconds, step) {
  const recorder = latencyRecorder();
  const { latencies } = recorder;
  const answers = { accept: 0, reject: 0, other: 0, samples: /** @type {string[]} */ ([]) };
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < end) {
        const at = performance.now();
        try {
          await step(worker);
          latencies.push(performance.now() - at);
          answers.accept += 1;
        } catch (error) {
          errors += 1;
          answers.other += 1;
          if (answers.samples.length < 3) answers.samples.push(String(error));
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    perSecond: latencies.length / elapsed,
    total: latencies.length,
    ...recorder.summary(seconds),
    non2xx: errors,
    errors: 0,
    answers,
  };
}
