/**
 * The paging contract's shapes and limits (src/store/paging.ts has the SQL), apart so that
 * the CLI can name them without loading Kysely.
 */

export interface PageRequest {
  /** How many items at most; DEFAULT_LIMIT unless given, at most MAX_LIMIT. */
  limit?: number;
  /** The `next` of the page before. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Present when there are more items: the cursor of the page after this one. */
  next?: string;
}

export const DEFAULT_LIMIT = 100;
/** One page never holds more, so one request never reads a whole table. */
export const MAX_LIMIT = 1000;
