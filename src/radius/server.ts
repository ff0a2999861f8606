/**
 * The RADIUS face (RFC 2865): a UDP server beside HTTP in the process host, answering
 * Access-Requests of the configured clients on the core's one sign-in decision
 * (exchange.ts). What the server itself owns:
 *
 *   - who may ask: a datagram from an address no client covers is dropped unread;
 *   - how often: each client has a budget of requests per second (a token bucket);
 *   - retransmissions: the same request again (client, Identifier, Request
 *     Authenticator) within RETRANSMIT_MS gets the same answer, without a second
 *     decision — which would refuse the code as a replay (RFC 5080 section 2.2.2);
 *   - what went wrong: dropped packets are counted by reason, never answered, never
 *     crash it; the shared secrets are never logged.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import type { Core } from '../context.js';
import { findRadiusClient, loadRadiusClients, type RadiusClient } from './clients.js';
import { answerRequest, type DropReason, type Outcome } from './exchange.js';
import { MalformedPacket, readPacket } from './packet.js';

/** The socket's receive buffer (the kernel may cap it at net.core.rmem_max). */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** How often dropped packets are reported in the log, when there were any. */
const DROP_REPORT_MS = 60_000;

/** How long an answer is kept for a retransmission of its request. */
export const RETRANSMIT_MS = 10_000;

export type RadiusDrop = DropReason | 'unknown_client' | 'rate_limited' | 'failed';

export interface RadiusCounters {
  requests: number;
  accepted: number;
  rejected: number;
  challenged: number;
  retransmissions: number;
  dropped: Record<RadiusDrop, number>;
}

export interface RadiusServer {
  /** The address and UDP port it listens on (the port the system picked for 0). */
  address: { host: string; port: number };
  clients: readonly RadiusClient[];
  counters(): RadiusCounters;
  close(): Promise<void>;
}

export async function startRadiusServer(core: Core): Promise<RadiusServer> {
  const { host, port } = core.config.radius;
  const clients = loadRadiusClients(core.config.radius.clients);
  for (const client of clients) {
    if (!client.requireMessageAuthenticator) {
      core.log.warn(
        { client: client.name },
        'RADIUS client accepted without Message-Authenticator: open to BlastRADIUS (CVE-2024-3596); update the device and set requireMessageAuthenticator to true',
      );
    }
  }
  const counters: RadiusCounters = {
    requests: 0,
    accepted: 0,
    rejected: 0,
    challenged: 0,
    retransmissions: 0,
    dropped: {
      not_a_request: 0,
      bad_authenticator: 0,
      malformed: 0,
      unavailable: 0,
      unknown_client: 0,
      rate_limited: 0,
      failed: 0,
    },
  };
  const recent = new Map<string, { at: number; outcome: Promise<Outcome> }>();
  const budgets = new Map<string, { tokens: number; at: number }>();
  const inFlight = new Set<Promise<void>>();

  // A burst of requests waits in the kernel while decisions run: room for thousands,
  // not the default's few hundred, which would be lost uncounted.
  const socket = createSocket({
    type: host.includes(':') ? 'udp6' : 'udp4',
    recvBufferSize: RECEIVE_BUFFER_BYTES,
  });
  socket.on('error', (error) => core.log.error({ err: error }, 'RADIUS socket error'));
  let stopping = false;
  let closed = false;
  socket.on('message', (message, peer) => {
    if (stopping) return;
    const handled = handle(message, peer)
      .catch((error: unknown) => {
        core.log.error({ err: error }, 'RADIUS request failed');
        drop('failed');
      })
      .finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });

  async function handle(message: Buffer, peer: RemoteInfo): Promise<void> {
    const client = findRadiusClient(clients, peer.address);
    if (!client) return drop('unknown_client');
    if (!spend(client)) return drop('rate_limited');
    let request;
    try {
      request = readPacket(message);
    } catch (error) {
      if (error instanceof MalformedPacket) return drop('malformed');
      throw error;
    }
    counters.requests++;
    const now = core.clock.now();
    forgetOld(now);
    const key = `${client.name}|${peer.address}|${peer.port}|${request.identifier}|${request.authenticator.toString('hex')}`;
    const earlier = recent.get(key);
    let outcome: Outcome;
    if (earlier) {
      counters.retransmissions++;
      outcome = await earlier.outcome;
    } else {
      const pending = answerRequest(core, client, peer.address, request);
      recent.set(key, { at: now, outcome: pending });
      try {
        outcome = await pending;
      } catch (error) {
        recent.delete(key);
        throw error;
      }
      count(outcome);
    }
    if ('dropped' in outcome) {
      // A dropped request is not remembered: its retransmission is looked at afresh.
      recent.delete(key);
      return drop(outcome.dropped);
    }
    if (!closed) socket.send(outcome.answer, peer.port, peer.address);
  }

  function count(outcome: Outcome): void {
    if ('dropped' in outcome) return;
    const code = outcome.answer[0];
    if (code === 2) counters.accepted++;
    else if (code === 11) counters.challenged++;
    else counters.rejected++;
  }

  function drop(reason: RadiusDrop): void {
    counters.dropped[reason]++;
  }

  /** A token bucket per client: `requestsPerSecond`, with one second's worth of burst. */
  function spend(client: RadiusClient): boolean {
    const now = core.clock.now();
    const budget = budgets.get(client.name) ?? { tokens: client.requestsPerSecond, at: now };
    budget.tokens = Math.min(
      client.requestsPerSecond,
      budget.tokens + ((now - budget.at) / 1000) * client.requestsPerSecond,
    );
    budget.at = now;
    budgets.set(client.name, budget);
    if (budget.tokens < 1) return false;
    budget.tokens -= 1;
    return true;
  }

  function forgetOld(now: number): void {
    for (const [key, entry] of recent) {
      if (entry.at > now - RETRANSMIT_MS) break; // a Map keeps insertion order: the rest are newer
      recent.delete(key);
    }
  }

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const bound = socket.address();
  core.metrics.watchRadius(() => counters);
  core.log.info(
    { host: bound.address, port: bound.port, clients: clients.map((c) => c.name) },
    'RADIUS server listening',
  );
  // Dropped packets get no answer, so the log is where an operator sees them: once a
  // minute, what was dropped since, by reason (a wrong secret shows as bad_authenticator).
  let reported = structuredClone(counters.dropped);
  const reporter = setInterval(() => {
    const since = Object.fromEntries(
      (Object.keys(reported) as RadiusDrop[])
        .map((reason) => [reason, counters.dropped[reason] - reported[reason]] as const)
        .filter(([, n]) => n > 0),
    );
    reported = structuredClone(counters.dropped);
    if (Object.keys(since).length > 0) core.log.warn({ dropped: since }, 'RADIUS packets dropped');
  }, DROP_REPORT_MS);
  reporter.unref();
  let closing: Promise<void> | undefined;
  return {
    address: { host: bound.address, port: bound.port },
    clients,
    counters: () => structuredClone(counters),
    close: () =>
      (closing ??= (async () => {
        // New requests are ignored; those being decided finish and are answered first.
        stopping = true;
        clearInterval(reporter);
        await Promise.allSettled([...inFlight]);
        closed = true;
        await new Promise<void>((resolve) => socket.close(() => resolve()));
      })()),
  };
}
