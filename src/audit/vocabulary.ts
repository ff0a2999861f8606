/**
 * The words the audit log is filtered by, its faces and outcomes: apart from the queries in
 * record.ts, so that `pforte audit list --help` names them without loading Kysely.
 */
import type { Caller } from '../context.js';

/** The faces an event can come through, for filters. */
export const AUDIT_FACES = [
  'portal',
  'api',
  'console',
  'cli',
  'radius',
  'oidc',
  'web',
  'system',
] as const satisfies readonly Caller['face'][];
/** `tsc` fails when a face is added to `Caller` but not to the filters' list. */
export type EveryFaceListed =
  Exclude<Caller['face'], (typeof AUDIT_FACES)[number]> extends never ? true : never;
const everyFaceListed: EveryFaceListed = true;
void everyFaceListed;

/** What an event's outcome can be. */
export const AUDIT_OUTCOMES = ['success', 'failure', 'accept', 'reject'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
