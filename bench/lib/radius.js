// @ts-check
// The RADIUS face's load: a UDP client as a VPN gateway is one (RFC 2865), with the
// server's own packet code (dist/radius/packet.js). It keeps `window` Access-Requests
// in flight, each with its own Identifier (256 per socket: more sockets for a larger
// window), a fresh Request Authenticator and a Message-Authenticator (RFC 3579, which
// the server requires); every answer is checked as a hardened client checks it (its
// Response Authenticator and its Message-Authenticator) and counted as Access-Accept,
// Access-Reject or anything else. A request unanswered after TIMEOUT_MS is an error.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import {
  ATTRIBUTE,
  hasValidMessageAuthenticator,
  hidePassword,
  isGenuineAnswer,
  readPacket,
  writeRequest,
} from '../../dist/radius/packet.js';
import { latencyRecorder } from './latencies.js';
import { measureLoad } from './load.js';

/** @typedef {import('./types.js').Answers} Answers */
/** @typedef {import('./types.js').RadiusSetup} RadiusSetup */
/** @typedef {import('./types.js').RadiusClientSetup} RadiusClientSetup */

const HOST = '127.0.0.1';
const IDENTIFIERS = 256;
const TIMEOUT_MS = 5000;
const ACCESS_ACCEPT = 2;
const ACCESS_REJECT = 3;
/** RFC 2865 section 5.32: an Access-Request names its NAS. */
const NAS_IDENTIFIER = 32;
const NAS = { type: NAS_IDENTIFIER, value: Buffer.from('pforte-bench') };

/** A UDP port the system hands out for a moment, for the server's RADIUS face. */
async function freeUdpPort() {
  const probe = dgram.createSocket('udp4');
  await new Promise((resolve) => probe.bind(0, HOST, () => resolve(undefined)));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(() => resolve(undefined)));
  return port;
}

/**
 * The server's RADIUS face: a port, and two clients told apart by their loopback
 * address (the server knows a client by where its datagrams come from).
 * @returns {Promise<RadiusSetup>}
 */
export async function radiusSetup() {
  /**
   * @param {string} name
   * @param {string} address
   * @param {RadiusClientSetup['mode']} mode
   * @returns {RadiusClientSetup}
   */
  const client = (name, address, mode) => ({
    name,
    address,
    secret: randomBytes(24).toString('base64url'),
    mode,
    // The most the configuration allows: the bench measures the decision, not the budget.
    requestsPerSecond: 100_000,
  });
  return {
    host: HOST,
    port: await freeUdpPort(),
    passcode: client('bench-passcode', '127.0.0.1', 'passcode'),
    password: client('bench-password', '127.0.0.2', 'password+passcode'),
  };
}

/** The server's settings for it. @param {RadiusSetup} setup */
export function radiusEnv(setup) {
  return {
    PFORTE_RADIUS_PORT: String(setup.port),
    PFORTE_RADIUS_HOST: setup.host,
    PFORTE_RADIUS_CLIENTS: JSON.stringify([setup.passcode, setup.password]),
  };
}

/**
 * Whether `answer` is a genuine answer to the request sent with `authenticator`: its
 * Response Authenticator, and the Message-Authenticator the server puts on every answer
 * (computed with the Request Authenticator in the header, RFC 3579 section 3.2).
 * @param {Buffer} answer
 * @param {Buffer} authenticator
 * @param {Buffer} secret
 */
function isGenuine(answer, authenticator, secret) {
  if (answer.length < 20 || !isGenuineAnswer(answer, authenticator, secret)) return false;
  const asSigned = Buffer.from(answer);
  authenticator.copy(asSigned, 4);
  try {
    return hasValidMessageAuthenticator(readPacket(asSigned), secret);
  } catch {
    return false;
  }
}

/**
 * A socket of the client, bound to the client's address and connected to the server.
 * @param {RadiusSetup} setup
 * @param {RadiusClientSetup} client
 * @returns {Promise<dgram.Socket>}
 */
async function openSocket(setup, client) {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, client.address, () => {
      socket.off('error', reject);
      resolve(undefined);
    });
  });
  await new Promise((resolve) => socket.connect(setup.port, setup.host, () => resolve(undefined)));
  return socket;
}

/**
 * What one request carries: the user's name and what they typed (the passcode, or the
 * password with the passcode appended).
 * @typedef {() => { username: string, typed: string }} NextTyped
 */

/**
 * `window` requests in flight for `seconds`; then the ones still in flight are awaited.
 * @param {{ setup: RadiusSetup, client: RadiusClientSetup, next: NextTyped, seconds: number,
 *   window: number }} options
 * @returns {Promise<import('./load.js').Loaded>}
 */
async function load({ setup, client, next, seconds, window }) {
  const secret = Buffer.from(client.secret);
  /** @type {Answers} */
  const answers = { accept: 0, reject: 0, other: 0, samples: [] };
  /** @param {string} sample */
  const other = (sample) => {
    answers.other += 1;
    if (answers.samples.length < 3) answers.samples.push(sample);
  };
  const recorder = latencyRecorder();
  const { latencies } = recorder;
  let timeouts = 0;
  let inFlight = 0;
  let running = true;
  /** @type {() => void} */
  let drained = () => {};

  const sockets = await Promise.all(
    Array.from({ length: Math.ceil(window / IDENTIFIERS) }, () => openSocket(setup, client)),
  );
  const lanes = sockets.map((socket) => ({
    socket,
    /** @type {({ authenticator: Buffer, sentAt: number } | undefined)[]} */
    sent: new Array(IDENTIFIERS).fill(undefined),
  }));

  /** @param {(typeof lanes)[number]} lane @param {number} identifier */
  const send = (lane, identifier) => {
    const { username, typed } = next();
    const authenticator = randomBytes(16);
    const request = writeRequest(
      identifier,
      authenticator,
      [
        { type: ATTRIBUTE.userName, value: Buffer.from(username) },
        {
          type: ATTRIBUTE.userPassword,
          value: hidePassword(Buffer.from(typed), secret, authenticator),
        },
        NAS,
      ],
      secret,
    );
    lane.sent[identifier] = { authenticator, sentAt: performance.now() };
    inFlight += 1;
    lane.socket.send(request);
  };
  /** A request is done (answered or given up): the next one takes its Identifier. @param {(typeof lanes)[number]} lane @param {number} identifier */
  const done = (lane, identifier) => {
    lane.sent[identifier] = undefined;
    inFlight -= 1;
    if (running) send(lane, identifier);
    else if (inFlight === 0) drained();
  };

  for (const lane of lanes) {
    lane.socket.on('message', (answer) => {
      const identifier = answer[1] ?? -1;
      const sent = lane.sent[identifier];
      if (!sent) {
        other(`an answer with Identifier ${identifier}, for no request in flight`);
        return;
      }
      latencies.push(performance.now() - sent.sentAt);
      if (!isGenuine(answer, sent.authenticator, secret)) other('an answer not genuine');
      else if (answer[0] === ACCESS_ACCEPT) answers.accept += 1;
      else if (answer[0] === ACCESS_REJECT) {
        answers.reject += 1;
        if (answers.samples.length < 3) answers.samples.push('Access-Reject');
      } else other(`code ${answer[0]}`);
      done(lane, identifier);
    });
  }
  // Requests unanswered for TIMEOUT_MS: given up, counted as errors.
  const sweep = setInterval(() => {
    const late = performance.now() - TIMEOUT_MS;
    for (const lane of lanes) {
      lane.sent.forEach((sent, identifier) => {
        if (sent && sent.sentAt < late) {
          timeouts += 1;
          done(lane, identifier);
        }
      });
    }
  }, 250);

  const started = performance.now();
  lanes.forEach((lane, index) => {
    const share = Math.min(IDENTIFIERS, window - index * IDENTIFIERS);
    for (let identifier = 0; identifier < share; identifier++) send(lane, identifier);
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  const total = latencies.length;
  recorder.stopTicking();
  if (inFlight > 0) await new Promise((resolve) => (drained = () => resolve(undefined)));
  clearInterval(sweep);
  await Promise.all(
    sockets.map((socket) => new Promise((resolve) => socket.close(() => resolve(undefined)))),
  );

  return {
    perSecond: total / elapsed,
    total,
    ...recorder.summary(seconds),
    // Not HTTP: the answers are judged below.
    non2xx: NaN,
    errors: timeouts,
    answers,
  };
}

/**
 * A warm-up, then the measured run of Access-Requests from `client`, as many in flight
 * as the bench has connections.
 * @param {string} label
 * @param {import('./types.js').Bench} bench
 * @param {RadiusClientSetup} client
 * @param {NextTyped} next
 */
export function measureRadius(label, bench, client, next) {
  const { settings, radius: setup } = bench;
  return measureLoad(label, bench.server, settings, (seconds) =>
    load({ setup, client, next, seconds, window: settings.connections }),
  );
}
