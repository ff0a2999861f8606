/** Everything the database holds, to show that a refused request changed nothing. */
import { sql } from 'kysely';
import type { Core } from '../../src/context.js';

const TABLES = [
  'users',
  'tokens',
  'api_keys',
  'oidc_clients',
  'audit_events',
  'audit_chain',
  'throttle',
  'sealing_key',
];

export async function snapshotDatabase(core: Core): Promise<string> {
  const parts: Record<string, unknown> = {};
  for (const table of TABLES) {
    const result = await sql`select * from ${sql.table(table)} order by 1`.execute(core.store.db);
    parts[table] = result.rows;
  }
  return JSON.stringify(parts);
}
