/**
 * A bulk run's rows that need a look (failed, mail failed, no usable user), as the CSV
 * the console and REST download: row, username, kind, reason, in the order of the file,
 * read a page at a time.
 */
import type { Core } from '../../context.js';
import { listBulkRunProblems } from '../../enrollment/bulk-runs.js';
import { MAX_LIMIT } from '../../store/paging.js';
import { csvLine } from './csv.js';

export async function* failedRowsCsv(core: Core, runId: string): AsyncIterable<string> {
  yield csvLine(['row', 'username', 'kind', 'reason']);
  let cursor: string | undefined;
  do {
    const page = await listBulkRunProblems(core, runId, {
      limit: MAX_LIMIT,
      ...(cursor ? { cursor } : {}),
    });
    for (const p of page.items) yield csvLine([p.row, p.username, p.kind, p.reason]);
    cursor = page.next;
  } while (cursor);
}
