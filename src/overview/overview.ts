/**
 * The figures an IT department looks at first (the console's overview, `GET
 * /api/v1/overview`, `pforte overview`): users, tokens by state, enrollments by state,
 * the last 24 hours' sign-ins, tokens locked now, mail that failed. Each is one counting
 * query on an index; none reads rows.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Core } from '../context.js';
import { countOutbox } from '../mail/outbox.js';
import type { Database, EnrollmentState, TokenState } from '../store/tables.js';

export const TOKEN_STATES: readonly TokenState[] = [
  'pending',
  'active',
  'locked',
  'disabled',
  'revoked',
];
export const ENROLLMENT_STATES: readonly EnrollmentState[] = [
  'open',
  'done',
  'expired',
  'cancelled',
];

export interface Overview {
  users: number;
  tokens: Record<TokenState, number>;
  enrollments: Record<EnrollmentState, number>;
  signIns24h: { accepted: number; refused: number };
  /** Locked and not yet unlocked by time: these people cannot sign in now. */
  lockedNow: number;
  mailFailed: number;
  at: string;
}

const DAY_MS = 86_400_000;

export async function readOverview(core: Core): Promise<Overview> {
  const { db } = core.store;
  const now = core.clock.now();
  const [users, tokens, enrollments, expiredOpen, signIns, locked, mailFailed] = await Promise.all([
    db.selectFrom('users').select(count).executeTakeFirstOrThrow(),
    db.selectFrom('tokens').select('state').select(count).groupBy('state').execute(),
    db.selectFrom('enrollments').select('state').select(count).groupBy('state').execute(),
    db
      .selectFrom('enrollments')
      .select(count)
      .where('state', '=', 'open')
      .where('expires_at', '<=', now)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('audit_events')
      .select('outcome')
      .select(count)
      .where('action', '=', 'signin')
      .where('at', '>=', now - DAY_MS)
      .groupBy('outcome')
      .execute(),
    lockedNowQuery(core, now).executeTakeFirstOrThrow(),
    countOutbox(core, { state: 'failed' }),
  ]);
  const n = (row: unknown) => Number((row as { n: string | number }).n);
  const byState = <S extends string>(states: readonly S[], rows: unknown[], key: string) => {
    const out = Object.fromEntries(states.map((s) => [s, 0])) as Record<S, number>;
    for (const row of rows) {
      const state = (row as Record<string, S>)[key]!;
      if (state in out) out[state] = n(row);
    }
    return out;
  };
  const enrollmentCounts = byState(ENROLLMENT_STATES, enrollments, 'state');
  // An open enrollment past its lifetime is expired (its row keeps `open`).
  enrollmentCounts.open -= n(expiredOpen);
  enrollmentCounts.expired += n(expiredOpen);
  const outcomes = byState(['accept', 'reject'], signIns, 'outcome');
  return {
    users: n(users),
    tokens: byState(TOKEN_STATES, tokens, 'state'),
    enrollments: enrollmentCounts,
    signIns24h: { accepted: outcomes.accept, refused: outcomes.reject },
    lockedNow: n(locked),
    mailFailed,
    at: new Date(now).toISOString(),
  };
}

function count(eb: ExpressionBuilder<Database, keyof Database>) {
  return eb.fn.countAll<string | number>().as('n');
}

function lockedNowQuery(core: Core, now: number) {
  const minutes = core.config.lockout.autoUnlockMinutes;
  let select = core.store.db.selectFrom('tokens').select(count).where('state', '=', 'locked');
  if (minutes > 0) select = select.where('locked_at', '>', now - minutes * 60_000);
  return select;
}
