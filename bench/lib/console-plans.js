// @ts-check
// How many rows a console list page reads, measured on the database itself: the queries
// the pages run are taken from the core's own list functions (dist/: searchUsers,
// listAudit, with the page's filters and cursor), each checked with SQLite's EXPLAIN
// QUERY PLAN (it must walk an index, or the table in rowid order, in the order asked:
// never sort the matches in a temporary B-tree), and the rows the walk passes are counted: the
// index entries from where the page starts to its last row. One page of 50 reads 51
// rows (the one more says whether there is a next page); a filter checked along the
// walk reads every row it passes over: where the planner walks the primary key for a
// common action (sign-ins), a page passes a few other events too, so a page may pass
// at most two pages' worth — past that it has lost its index. A prefix search is the one page allowed to walk
// further: its three prefixes (username, name, e-mail) cannot share one order with the
// list's sort, so it walks the sort's index until a page of matches is found (reported,
// never sorted); every other page must read one page.
import { Buffer } from 'node:buffer';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { listAudit } from '../../dist/audit/record.js';
import { searchUsers } from '../../dist/users/search.js';

/**
 * A console list page as its core function sees it.
 * @typedef {{ list: 'users', q?: string, cursor?: string } | { list: 'audit', action?: string, cursor?: string }} PageQuery
 */

/**
 * @typedef {object} PageReading
 * @property {string[]} plan EXPLAIN QUERY PLAN's lines, of every query the page ran
 * @property {number} returned rows on the page
 * @property {number} walked index entries the walk passed over
 * @property {string[]} problems
 */

/**
 * What each page reads, the console's page size being `limit`.
 * @param {string} dataDir
 * @param {Record<string, PageQuery>} pages
 * @param {number} limit
 * @returns {Promise<Record<string, PageReading>>}
 */
export async function readPlans(dataDir, pages, limit) {
  const file = new Database(path.join(dataDir, 'pforte.sqlite'), { readonly: true });
  /** @type {{ sql: string, parameters: readonly unknown[] }[]} */
  const ran = [];
  const db = new Kysely({
    dialect: new SqliteDialect({ database: file }),
    log: (event) => void ran.push(event.query),
  });
  // The list functions read only the core's store.
  const core = /** @type {any} */ ({ store: { db } });
  try {
    /** @type {Record<string, PageReading>} */
    const readings = {};
    for (const [name, page] of Object.entries(pages)) {
      ran.length = 0;
      const rows =
        page.list === 'users'
          ? (await searchUsers(core, { limit, q: page.q, cursor: page.cursor })).items
          : (await listAudit(core, { limit, action: page.action, cursor: page.cursor })).items;
      const plan = ran.flatMap(({ sql, parameters }) =>
        file
          .prepare(`explain query plan ${sql}`)
          .all(...parameters)
          .map((line) => String(/** @type {{ detail: unknown }} */ (line).detail)),
      );
      // Filtered by action, the walk passes only that action's entries when it takes
      // the (action, id) index; on the primary key it passes every event.
      const byAction = plan.some((line) => line.includes('audit_by_action_id'));
      const walked = countWalked(file, page, rows, byAction);
      readings[name] = {
        plan,
        returned: rows.length,
        walked,
        problems: [
          ...plan.filter(sorts).map((line) => `${name}: sorts its matches (${line})`),
          ...(walked > 2 * (limit + 1) && !(page.list === 'users' && page.q)
            ? [`${name}: walks ${walked} rows for ${rows.length}`]
            : []),
        ],
      };
    }
    return readings;
  } finally {
    await db.destroy();
  }
}

/** @param {string} line */
const sorts = (line) => /TEMP B-TREE/.test(line);

/**
 * The index entries between where the page starts (its cursor) and its last row: the
 * users' pages walk the username index forwards, the audit pages the primary key back
 * (or, filtered by action, the `(action, id)` index back: only that action's entries).
 * @param {Database.Database} file
 * @param {PageQuery} page
 * @param {any[]} rows
 * @param {boolean} byAction
 */
function countWalked(file, page, rows, byAction) {
  const last = rows.at(-1);
  if (!last) return 0;
  const start = page.cursor
    ? JSON.parse(Buffer.from(page.cursor, 'base64url').toString())[0]
    : undefined;
  const count = (/** @type {string} */ sql, /** @type {unknown[]} */ values) =>
    Number(/** @type {{ n: number }} */ (file.prepare(sql).get(...values)).n) + 1;
  return page.list === 'users'
    ? count(
        `select count(*) as n from users where username <= ? ${start ? 'and username > ?' : ''}`,
        [last.username, ...(start ? [start] : [])],
      )
    : count(
        `select count(*) as n from audit_events where id >= ? ${start ? 'and id < ?' : ''} ${
          page.action && byAction ? 'and action = ?' : ''
        }`,
        [last.id, ...(start ? [start] : []), ...(page.action && byAction ? [page.action] : [])],
      );
}
