/**
 * The REST side of the paging contract (src/store/paging.ts): every list takes
 * `?limit=&cursor=` and answers `{ items, next }`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { PageRequest } from '../../store/paging.js';
/** An answer that is a page of one of the components: the paging contract's `{ items, next }`. */
export function pageOf<T extends TSchema>(schema: T, description: string) {
  return Type.Unsafe<{ items: Static<T>[]; next?: string }>(
    Type.Object(
      {
        items: Type.Array(Type.Ref(schema.$id!)),
        next: Type.Optional(
          Type.String({
            description: 'Present when there are more: the `cursor` of the next page',
          }),
        ),
      },
      { description, additionalProperties: false },
    ),
  );
}

/** The query of every list: how many, and from where (the `next` of the page before). */
export const PAGE_QUERY = {
  limit: Type.Optional(
    Type.String({ pattern: '^[1-9][0-9]{0,2}$|^1000$', description: '1 to 1000; default 100' }),
  ),
  cursor: Type.Optional(
    Type.String({
      maxLength: 400,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'The `next` of the page before',
    }),
  ),
};

/** The page a list's query asks for, as the core takes it. */
export function pageRequestOf(query: { limit?: string; cursor?: string }): PageRequest {
  return {
    ...(query.limit ? { limit: Number(query.limit) } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  };
}
