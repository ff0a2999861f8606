/**
 * The one paging contract every list follows (users, tokens, enrollments, outbox,
 * audit): `{ limit, cursor }` in, `{ items, next }` out.
 *
 * Paging is by keyset, not by offset: a cursor holds the sort key of the last row
 * shown, and the next page starts after it on an index. So a page costs the same
 * however deep it is, and rows added between pages neither repeat nor push rows out.
 * The cursor is opaque to callers (base64url of the key), and one that does not decode
 * to the list's key is a validation error, never a server error.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { invalid } from '../errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT, type Page, type PageRequest } from './page.js';

export { DEFAULT_LIMIT, MAX_LIMIT, type Page, type PageRequest } from './page.js';

/** A sort key's parts, as a cursor carries them. */
export type KeyPart = 'string' | 'number';
type KeyOf<K extends readonly KeyPart[]> = {
  [I in keyof K]: K[I] extends 'number' ? number : string;
};

/** The limit asked for, or the default; refuses what no page may hold. */
export function pageLimit(request: PageRequest): number {
  const limit = request.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** The sort key a cursor holds, checked against the parts the list sorts by. */
export function readCursor<K extends readonly KeyPart[]>(
  cursor: string | undefined,
  parts: K,
): KeyOf<K> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const fits =
    Array.isArray(key) &&
    key.length === parts.length &&
    parts.every((part, i) =>
      part === 'number' ? Number.isSafeInteger(key[i]) : typeof key[i] === 'string',
    );
  if (!fits) throw badCursor();
  return key as KeyOf<K>;
}

/**
 * The page of `rows` fetched with one row more than `limit`: that extra row only
 * tells whether there is a next page, without counting.
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => (string | number)[],
  toItem: (row: R) => T,
): Page<T> {
  const shown = rows.slice(0, limit);
  const page: Page<T> = { items: shown.map(toItem) };
  if (rows.length > limit) page.next = writeCursor(keyOf(shown[shown.length - 1]!));
  return page;
}

/**
 * The rows after the cursor's in an order of two columns, a time and a unique text as
 * tie-break (ascending): `first` ascending, or with `newestFirst` descending.
 */
export function afterKey(
  [first, second]: readonly [string, string],
  [firstValue, secondValue]: readonly [number, string],
  newestFirst = false,
): RawBuilder<SqlBool> {
  const beyond = newestFirst ? sql`<` : sql`>`;
  return sql<SqlBool>`(${sql.ref(first)} ${beyond} ${firstValue} or (${sql.ref(first)} = ${firstValue} and ${sql.ref(second)} > ${secondValue}))`;
}

function writeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function badCursor() {
  return invalid('cursor is not one this list gave');
}
