/**
 * A scrape: the states read from the database (one GROUP BY each), then the registry in
 * Prometheus text format. Each reading is bounded: one that fails or takes longer than
 * SCRAPE_QUERY_TIMEOUT_MS is counted in `pforte_metrics_scrape_errors_total` and its
 * gauge left out, so that a slow or absent database never turns /metrics into an error
 * (its counters are what an operator needs most then).
 */
import { sql } from 'kysely';
import type { Core } from '../context.js';
import { countOutboxByState } from '../mail/outbox.js';
import { ENROLLMENT_STATES, TOKEN_STATES } from '../overview/overview.js';
import type { Gauge } from 'prom-client';

/** Well inside Prometheus's default scrape_timeout of 10 s. */
export const SCRAPE_QUERY_TIMEOUT_MS = 2000;

const ACTIVATION_STATES = ['pending', 'confirmed', 'failed'] as const;

type Counts = Record<string, number>;

/** The metrics in Prometheus text format, and their content type. */
export async function scrapeMetrics(core: Core): Promise<{ contentType: string; text: string }> {
  const { states } = core.metrics;
  await Promise.all([
    read(core, 'enrollments', states.enrollments, () => countEnrollments(core)),
    read(core, 'activations', states.activations, () => countActivations(core)),
    read(core, 'tokens', states.tokens, () => countTokens(core)),
    read(core, 'mail', states.mail, () => countOutboxByState(core)),
  ]);
  const { registry } = core.metrics;
  return { contentType: registry.contentType, text: await registry.metrics() };
}

async function read(
  core: Core,
  source: string,
  gauge: Gauge<'state'>,
  count: () => Promise<Counts>,
): Promise<void> {
  try {
    const counts = await bounded(count(), SCRAPE_QUERY_TIMEOUT_MS);
    gauge.reset();
    for (const [state, n] of Object.entries(counts)) gauge.set({ state }, n);
  } catch (error) {
    gauge.reset();
    core.metrics.countScrapeError(source);
    core.log.warn({ source, detail: (error as Error).message }, 'metrics reading failed');
  }
}

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Enrollments by state; an open one past its lifetime is expired, as the overview counts it. */
async function countEnrollments(core: Core): Promise<Counts> {
  // The time as a literal: PostgreSQL takes a parameter in SELECT and the same one in
  // GROUP BY for two different expressions.
  const now = sql.lit(core.clock.now());
  const shown = sql<string>`case when state = 'open' and expires_at <= ${now} then 'expired' else state end`;
  const rows = await core.store.db
    .selectFrom('enrollments')
    .select(shown.as('shown'))
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .groupBy(shown)
    .execute();
  return byState(
    ENROLLMENT_STATES,
    rows.map((r) => [r.shown, r.n]),
  );
}

async function countActivations(core: Core): Promise<Counts> {
  const rows = await core.store.db
    .selectFrom('activations')
    .select('state')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .groupBy('state')
    .execute();
  return byState(
    ACTIVATION_STATES,
    rows.map((r) => [r.state, r.n]),
  );
}

async function countTokens(core: Core): Promise<Counts> {
  const rows = await core.store.db
    .selectFrom('tokens')
    .select('state')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .groupBy('state')
    .execute();
  return byState(
    TOKEN_STATES,
    rows.map((r) => [r.state, r.n]),
  );
}

/** Every known state, 0 where no row has it: a state that empties shows 0, not nothing. */
function byState(states: readonly string[], rows: [string, string | number][]): Counts {
  const counts: Counts = Object.fromEntries(states.map((state) => [state, 0]));
  for (const [state, n] of rows) counts[state] = Number(n);
  return counts;
}
