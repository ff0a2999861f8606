/**
 * The audit log: append-only, every sign-in decision and every administrative
 * action, with its real reason, the actor, the face and the client address.
 *
 * Recording is a plain insert and takes no lock, so it never serialises sign-ins
 * across server processes; the hash chain is added afterwards in batches (chain.ts).
 * Outside a transaction, an event is committed with the other writes of the moment
 * (store/group-commit.ts).
 */
import type { Core, Caller } from '../context.js';
import { pageLimit, readCursor, toPage, type Page, type PageRequest } from '../store/paging.js';
import { prepareQuery, runWrite, statementsOf } from '../store/prepared.js';
import type { AuditEventRow } from '../store/tables.js';
import type { AuditOutcome } from './vocabulary.js';

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  reason?: string;
  username?: string;
  serial?: string;
  detail?: Record<string, string | number | boolean | null>;
}

export async function recordAudit(core: Core, caller: Caller, entry: AuditEntry): Promise<void> {
  await runWrite(
    core,
    insertEvent(core)({
      at: core.clock.now(),
      actor: caller.actor,
      face: caller.face,
      action: entry.action,
      outcome: entry.outcome,
      reason: entry.reason ?? '',
      username: entry.username ?? '',
      serial: entry.serial ?? '',
      address: caller.address,
      detail: JSON.stringify(entry.detail ?? {}),
    }),
  );
}

type EventColumn = Exclude<keyof AuditEventRow, 'id' | ChainColumns>;
/** What an event records, in the order the console's CSV export shows it. */
export const EVENT_COLUMNS = [
  'at',
  'actor',
  'face',
  'action',
  'outcome',
  'reason',
  'username',
  'serial',
  'address',
  'detail',
] as const satisfies readonly EventColumn[];

/** Every request records at least one event: the insert is compiled once (store/prepared.ts). */
const insertEvent = (core: Core) => eventStatements(core).insert;
const eventStatements = statementsOf((db) => ({
  insert: prepareQuery<never, EventColumn>(db, (db, p) =>
    db.insertInto('audit_events').values({
      ...(Object.fromEntries(EVENT_COLUMNS.map((column) => [column, p(column)])) as Record<
        EventColumn,
        never
      >),
      seq: null,
      prev_hash: null,
      hash: null,
    }),
  ),
}));

/** The columns of the hash chain (chain.ts): an event shows only whether it is sealed. */
type ChainColumns = 'seq' | 'prev_hash' | 'hash';

/** An event as it is shown: the row's own fields, its time as ISO 8601, its detail decoded. */
export interface AuditEvent extends Omit<AuditEventRow, 'at' | 'detail' | ChainColumns> {
  at: string;
  detail: Record<string, unknown>;
  sealed: boolean;
}

export interface AuditQuery extends PageRequest {
  username?: string;
  /** Exactly this action (`signin`, `token.unlock`, …). */
  action?: string;
  outcome?: AuditEntry['outcome'];
  /** Where the event came from: `portal`, `api`, `cli`, `console`, `radius`, `system`, … */
  face?: string;
  /** The client address, exactly as recorded. */
  address?: string;
  /** Milliseconds since the epoch: events at or after it. */
  since?: number;
  /** Milliseconds since the epoch: events before it. */
  until?: number;
  /** Only events with an id below this one (what a cursor says, as a plain id). */
  before?: number;
}

export { AUDIT_FACES, AUDIT_OUTCOMES } from './vocabulary.js';

/** A page of events, newest first, on the primary key; each filter narrows it. */
export async function listAudit(core: Core, query: AuditQuery = {}): Promise<Page<AuditEvent>> {
  const limit = pageLimit(query);
  const after = readCursor(query.cursor, ['number'] as const);
  let select = core.store.db.selectFrom('audit_events').selectAll();
  if (query.username) select = select.where('username', '=', query.username);
  if (query.action) select = select.where('action', '=', query.action);
  if (query.outcome) select = select.where('outcome', '=', query.outcome);
  if (query.face) select = select.where('face', '=', query.face);
  if (query.address) select = select.where('address', '=', query.address);
  if (query.since !== undefined) select = select.where('at', '>=', query.since);
  if (query.until !== undefined) select = select.where('at', '<', query.until);
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  if (after) select = select.where('id', '<', after[0]);
  const rows = await select
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [Number(row.id)], toAuditEvent);
}

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    face: row.face,
    action: row.action,
    outcome: row.outcome,
    reason: row.reason,
    username: row.username,
    serial: row.serial,
    address: row.address,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    sealed: row.hash !== null,
  };
}
