/**
 * The CLI's side of the paging contract (src/store/paging.ts): `--limit N` and
 * `--cursor C` in; the items on standard output (a table, or with --json the same
 * array as before, so scripts keep working), and where more are, a line on standard
 * error naming the cursor that shows them.
 */
import { DEFAULT_LIMIT, MAX_LIMIT, type Page, type PageRequest } from '../store/page.js';
import { usageError, type OptionValues } from './command.js';
import type { CliIO } from './io.js';

export const PAGING_OPTIONS = {
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

export const PAGING_USAGE = '[--limit N] [--cursor C]';

/** `--limit`, or `fallback`; a command may show more than one page holds (`max`). */
export function readLimit(options: OptionValues, fallback = DEFAULT_LIMIT, max = 100_000): number {
  if (options.limit === undefined) return fallback;
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw usageError(`--limit must be a whole number from 1 to ${max}`);
  }
  return limit;
}

/**
 * Up to `limit` items from `cursor` on, read a page of at most MAX_LIMIT at a time:
 * a command line may ask for more than one page, the database is never asked for more.
 */
export async function readPages<T>(
  list: (request: PageRequest) => Promise<Page<T>>,
  limit: number,
  cursor: string | undefined,
): Promise<Page<T>> {
  const items: T[] = [];
  let next = cursor;
  do {
    const page = await list({
      limit: Math.min(MAX_LIMIT, limit - items.length),
      ...(next !== undefined ? { cursor: next } : {}),
    });
    items.push(...page.items);
    next = page.next;
  } while (next !== undefined && items.length < limit);
  return next === undefined ? { items } : { items, next };
}

/** On standard error, so that the table and the JSON on standard output stay whole. */
export function sayWhereMoreIs(io: CliIO, page: Page<unknown>): void {
  if (page.next !== undefined) io.stderr.write(`more: --cursor ${page.next}\n`);
}

export function cursorOf(options: OptionValues): string | undefined {
  return typeof options.cursor === 'string' ? options.cursor : undefined;
}
