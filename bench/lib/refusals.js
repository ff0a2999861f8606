// @ts-check
// Why a server refused sign-ins during a run: the reasons its audit log gives.
import { api } from './users.js';

/** The most events one page of the audit log holds (src/http/api/paging.ts). */
const PAGE = 1000;

/**
 * The reasons of the sign-ins `base` refused from `from` to `until` (epoch ms), counted,
 * as GET /api/v1/audit gives them on SQLite and PostgreSQL alike (the newest 1000).
 * @param {string} base
 * @param {string} adminKey
 * @param {{ from: number, until: number }} window
 * @returns {Promise<Record<string, number>>}
 */
export async function refusalReasons(base, adminKey, { from, until }) {
  const query = new globalThis.URLSearchParams({
    action: 'signin',
    outcome: 'reject',
    since: new Date(from).toISOString(),
    // `until` is exclusive.
    until: new Date(until + 1).toISOString(),
    limit: String(PAGE),
  });
  /** @type {{ items: { reason: string }[] }} */
  const page = await api(base, adminKey, 'GET', `/api/v1/audit?${query}`, undefined);
  /** @type {Record<string, number>} */
  const reasons = {};
  for (const { reason } of page.items) reasons[reason] = (reasons[reason] ?? 0) + 1;
  return reasons;
}
