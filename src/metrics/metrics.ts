/**
 * Metrics: what a core counts for Prometheus (docs/monitoring.md). Each core has its own
 * registry, never prom-client's global one, so that several cores in one process (the
 * tests) do not share counters. The core's areas count events as they happen (a sign-in
 * decision, a token lock, a mail that failed, a database error); what is a state rather
 * than an event (enrollments, activations, tokens, the mail outbox) is read from the
 * database when scraped (scrape.ts). The faces serve it (src/http/metrics.ts).
 */
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
} from 'prom-client';
import { isDatabaseUnavailable } from '../store/unavailable.js';

/** A sign-in decision takes an argon2id hash (tens of ms) and a few writes; an outage waits up to 5 s. */
const DECISION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the RADIUS face counts (src/radius/server.ts), read when scraped. */
export interface RadiusCounts {
  requests: number;
  accepted: number;
  rejected: number;
  challenged: number;
  retransmissions: number;
  dropped: Readonly<Record<string, number>>;
}

/** A connection pool's live figures, as pg.Pool has them. */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface Metrics {
  registry: Registry;
  /** One decision: its face, result (accept, reject, error), reason, and how long it took. */
  countDecision(face: string, result: string, reason: string, seconds: number): void;
  /** A token was locked after too many failures (audit action token.lock). */
  countTokenLock(): void;
  /** A delivery attempt failed: `gave_up` after the last attempt, else `will_retry`. */
  countMailFailure(outcome: 'will_retry' | 'gave_up'): void;
  /** A query failed (`unavailable`: the database did not answer) or a connection was lost. */
  countDatabaseError(error: unknown): void;
  countConnectionLost(): void;
  /**
   * An OpenID Connect event (src/oidc/events.ts): its audit action (oidc.authorize,
   * oidc.token, …), outcome and the standard's error code ('' on success).
   */
  countOidcEvent(action: string, outcome: string, reason: string): void;
  /** A scrape-time reading that failed or took too long; the scrape answers without it. */
  countScrapeError(source: string): void;
  /** States read from the database at scrape time (scrape.ts sets them). */
  states: {
    enrollments: Gauge<'state'>;
    activations: Gauge<'state'>;
    tokens: Gauge<'state'>;
    mail: Gauge<'state'>;
  };
  /** The PostgreSQL pool's connections, read at scrape time (SQLite has no pool). */
  watchPool(pool: PoolCounts, max: number): void;
  /** The RADIUS face's counters, read at scrape time, once it runs. */
  watchRadius(read: () => RadiusCounts): void;
  /** prom-client's process_* and nodejs_* set; only where /metrics is served. */
  includeProcessMetrics(): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const counter = <L extends string>(config: CounterConfiguration<L>) =>
    new Counter<L>({ ...config, registers: [registry] });
  const gauge = <L extends string>(config: GaugeConfiguration<L>) =>
    new Gauge<L>({ ...config, registers: [registry] });

  const decisions = counter({
    name: 'pforte_signin_decisions_total',
    help: 'Sign-in decisions by face, result (accept, reject, error) and reason (backoff: refused by the back-off unlooked at).',
    labelNames: ['face', 'result', 'reason'] as const,
  });
  const latency = new Histogram<'face'>({
    name: 'pforte_signin_decision_seconds',
    help: 'How long a sign-in decision took, by face.',
    labelNames: ['face'],
    buckets: DECISION_BUCKETS,
    registers: [registry],
  });
  const tokenLocks = counter({
    name: 'pforte_token_locks_total',
    help: 'Tokens locked after too many wrong passcodes.',
  });
  const mailFailures = counter({
    name: 'pforte_mail_delivery_failures_total',
    help: 'Mail delivery attempts that failed, by outcome (will_retry, gave_up).',
    labelNames: ['outcome'] as const,
  });
  const databaseErrors = counter({
    name: 'pforte_database_errors_total',
    help: 'Database errors by kind (unavailable: the database did not answer; query: a statement failed; connection_lost).',
    labelNames: ['kind'] as const,
  });
  const oidcEvents = counter({
    name: 'pforte_oidc_events_total',
    help: 'OpenID Connect authorizations, token requests, revocations, consents and logouts by action, outcome and error code (the refusals of userinfo and introspection too).',
    labelNames: ['action', 'outcome', 'reason'] as const,
  });
  const scrapeErrors = counter({
    name: 'pforte_metrics_scrape_errors_total',
    help: 'Scrape-time readings that failed or took too long, by source; their gauges are left out of that scrape.',
    labelNames: ['source'] as const,
  });
  const states = {
    enrollments: gauge({
      name: 'pforte_enrollments',
      help: 'Enrollments by state (an open one past its lifetime counts as expired).',
      labelNames: ['state'] as const,
    }),
    activations: gauge({
      name: 'pforte_activations',
      help: 'Activations of an authenticator app or standard app, by state.',
      labelNames: ['state'] as const,
    }),
    tokens: gauge({
      name: 'pforte_tokens',
      help: 'Tokens by state.',
      labelNames: ['state'] as const,
    }),
    mail: gauge({
      name: 'pforte_mail_messages',
      help: 'Messages in the mail outbox by state (queued and sending: the queue; failed: given up).',
      labelNames: ['state'] as const,
    }),
  };
  let processMetrics = false;
  let radius: (() => RadiusCounts) | undefined;

  return {
    registry,
    // Called once per decision, beside an argon2id hash and several writes: one counter
    // increment and one observation with small literal label objects cost far less than
    // that, so no cache of labelled children is kept.
    countDecision(face, result, reason, seconds) {
      decisions.inc({ face, result, reason });
      latency.observe({ face }, seconds);
    },
    countTokenLock: () => tokenLocks.inc(),
    countMailFailure: (outcome) => mailFailures.inc({ outcome }),
    countDatabaseError: (error) =>
      databaseErrors.inc({ kind: isDatabaseUnavailable(error) ? 'unavailable' : 'query' }),
    countConnectionLost: () => databaseErrors.inc({ kind: 'connection_lost' }),
    countOidcEvent: (action, outcome, reason) => oidcEvents.inc({ action, outcome, reason }),
    countScrapeError: (source) => scrapeErrors.inc({ source }),
    states,
    watchPool(pool, max) {
      gauge({
        name: 'pforte_database_pool_connections',
        help: 'PostgreSQL connections of this process by state (in_use, idle).',
        labelNames: ['state'] as const,
        collect() {
          this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
          this.set({ state: 'idle' }, pool.idleCount);
        },
      });
      gauge({
        name: 'pforte_database_pool_waiting',
        help: 'Queries waiting for a PostgreSQL connection of this process.',
        collect() {
          this.set(pool.waitingCount);
        },
      });
      gauge({
        name: 'pforte_database_pool_max',
        help: 'The most PostgreSQL connections this process opens (PFORTE_DATABASE_POOL_SIZE).',
      }).set(max);
    },
    watchRadius(read) {
      if (!radius) registerRadius(counter, () => radius!());
      radius = read;
    },
    includeProcessMetrics() {
      if (processMetrics) return;
      processMetrics = true;
      collectDefaultMetrics({ register: registry });
    },
  };
}

/** The RADIUS counters as Prometheus counters, copied from the face's own when scraped. */
function registerRadius(
  counter: <L extends string>(config: CounterConfiguration<L>) => Counter<L>,
  read: () => RadiusCounts,
): void {
  const simple: [string, string, keyof Omit<RadiusCounts, 'dropped'>][] = [
    ['requests', 'Access-Requests read (retransmissions included).', 'requests'],
    ['accepts', 'Access-Accepts sent.', 'accepted'],
    ['rejects', 'Access-Rejects sent.', 'rejected'],
    ['challenges', 'Access-Challenges sent.', 'challenged'],
    [
      'retransmissions',
      'Retransmitted requests answered again without a decision.',
      'retransmissions',
    ],
  ];
  for (const [name, help, field] of simple) {
    counter({
      name: `pforte_radius_${name}_total`,
      help,
      collect() {
        this.reset();
        this.inc(read()[field]);
      },
    });
  }
  counter({
    name: 'pforte_radius_dropped_total',
    help: 'RADIUS packets dropped unanswered, by reason (bad_authenticator: often a wrong shared secret).',
    labelNames: ['reason'] as const,
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(read().dropped)) this.inc({ reason }, n);
    },
  });
}
