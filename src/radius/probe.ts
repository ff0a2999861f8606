/**
 * The client's side of one RADIUS exchange, as `pforte radius test` plays a NAS: an
 * Access-Request with a Message-Authenticator, sent again at intervals as a NAS does
 * (RFC 5080 section 2.2.1: the same Identifier and authenticator, so the server answers
 * a retransmission alike), and the answer with what a NAS checks of it — the Response
 * Authenticator (RFC 2865 section 3) and the Message-Authenticator (RFC 3579 section 3.2).
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import {
  ATTRIBUTE,
  checkAnswerMessageAuthenticator,
  isGenuineAnswer,
  MalformedPacket,
  readPacket,
  writeRequest,
  type Attribute,
} from './packet.js';

/** How many times a request is sent within the timeout. */
const SENDS = 3;

export interface ProbeTarget {
  host: string;
  port: number;
  /** The address to send from; the system chooses when absent. */
  source?: string;
  secret: Buffer;
  timeoutMs: number;
}

export interface ProbeAnswer {
  code: number;
  replyMessage?: string;
  class?: string;
  state?: Buffer;
  responseAuthenticator: 'right' | 'wrong';
  messageAuthenticator: 'right' | 'wrong' | 'missing';
}

/** Why no answer came: the time ran out, or the server's host said nothing listens there. */
export type NoAnswer = { none: 'timeout' | 'port_unreachable' | 'malformed' };

export interface Probe {
  /** The address and port the requests are sent from. */
  source: { address: string; port: number };
  /** One Access-Request with `attributes` (User-Name, User-Password hidden by the caller's secret…). */
  ask(attributes: (authenticator: Buffer) => Attribute[]): Promise<ProbeAnswer | NoAnswer>;
  close(): Promise<void>;
}

/** A UDP socket connected to the server, bound to `source` when given. */
export async function openProbe(target: ProbeTarget): Promise<Probe> {
  // As the server chooses its socket: a literal IPv6 address is udp6, all else udp4.
  const socket = createSocket({ type: target.host.includes(':') ? 'udp6' : 'udp4' });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      socket.close();
      reject(error);
    };
    socket.once('error', fail);
    // A host name that cannot be resolved comes to the callback, not as an 'error' event.
    const connect = () =>
      socket.connect(target.port, reachable(target.host), (error?: Error) => {
        socket.off('error', fail);
        if (error) fail(error);
        else resolve();
      });
    if (target.source) socket.bind(0, target.source, connect);
    else connect();
  });
  let waiting: ((answer: ProbeAnswer | NoAnswer) => void) | undefined;
  let expected: { identifier: number; authenticator: Buffer } | undefined;
  socket.on('error', (error: NodeJS.ErrnoException) => {
    // An ICMP port unreachable arrives on a connected socket as ECONNREFUSED.
    if (error.code === 'ECONNREFUSED') waiting?.({ none: 'port_unreachable' });
  });
  socket.on('message', (message) => {
    if (!waiting || !expected || message[1] !== expected.identifier) return;
    waiting(readAnswer(message, expected.authenticator, target.secret));
  });
  const local = socket.address();
  return {
    source: { address: local.address, port: local.port },
    async ask(attributes) {
      const identifier = randomBytes(1)[0]!;
      const authenticator = randomBytes(16);
      const request = writeRequest(
        identifier,
        authenticator,
        attributes(authenticator),
        target.secret,
      );
      expected = { identifier, authenticator };
      const timers: NodeJS.Timeout[] = [];
      try {
        return await new Promise<ProbeAnswer | NoAnswer>((resolve) => {
          waiting = resolve;
          for (let i = 0; i < SENDS; i++) {
            timers.push(setTimeout(() => send(socket, request), (target.timeoutMs * i) / SENDS));
          }
          timers.push(setTimeout(() => resolve({ none: 'timeout' }), target.timeoutMs));
        });
      } finally {
        for (const timer of timers) clearTimeout(timer);
        waiting = undefined;
        expected = undefined;
      }
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function send(socket: Socket, request: Buffer): void {
  // A send error shows again as an 'error' event (ECONNREFUSED) or as the timeout.
  socket.send(request, () => undefined);
}

/** The server's address as a client reaches it: a server on every address is asked here. */
function reachable(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function readAnswer(
  message: Buffer,
  authenticator: Buffer,
  secret: Buffer,
): ProbeAnswer | NoAnswer {
  let answer;
  try {
    answer = readPacket(message);
  } catch (error) {
    if (error instanceof MalformedPacket) return { none: 'malformed' };
    throw error;
  }
  const text = (type: number) => {
    const values = answer.attributes.filter((a) => a.type === type);
    return values.length === 0 ? undefined : values.map((a) => a.value.toString('utf8')).join('');
  };
  const state = answer.attributes.find((a) => a.type === ATTRIBUTE.state)?.value;
  const replyMessage = text(ATTRIBUTE.replyMessage);
  const kind = text(ATTRIBUTE.class);
  return {
    code: answer.code,
    ...(replyMessage !== undefined ? { replyMessage } : {}),
    ...(kind !== undefined ? { class: kind } : {}),
    ...(state ? { state: Buffer.from(state) } : {}),
    responseAuthenticator: isGenuineAnswer(answer.raw, authenticator, secret) ? 'right' : 'wrong',
    messageAuthenticator: checkAnswerMessageAuthenticator(answer, authenticator, secret),
  };
}

/** Whether `address` is one of this machine's loopback addresses (127.0.0.0/8, ::1). */
export function isLoopback(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1';
}
