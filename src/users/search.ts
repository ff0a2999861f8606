/**
 * Finding users: a prefix of the username, name or e-mail address (case-insensitive),
 * narrowed by source, console role, state and the state of their tokens, in one of
 * three orders, paged by the paging contract (src/store/paging.ts).
 *
 * Each order walks its own index (the username's unique index, `users_by_name`,
 * `users_by_last_signin`) from the cursor on, and the filters are conditions checked
 * along the walk; the page ends after `limit + 1` matches. So no page sorts all the
 * users that match, and the 1,000th page costs what the first does. The token filters
 * are EXISTS subqueries on the `tokens_user` index, one probe per user walked.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Core } from '../context.js';
import { invalid } from '../errors.js';
import {
  afterKey,
  pageLimit,
  readCursor,
  toPage,
  type Page,
  type PageRequest,
} from '../store/paging.js';
import type { Database, TokenState, UserRow } from '../store/tables.js';
import { NAME_MAX, textLength } from './fields.js';
import { toUser, type User } from './users.js';

export const USER_SOURCES = ['pforte', 'directory'] as const;
export const ROLE_FILTERS = ['admin', 'helpdesk', 'none'] as const;
export const USER_STATES = ['enabled', 'disabled'] as const;
/** A token state the user has a token in, or `none`: no active token. */
export const TOKEN_FILTERS = [
  'active',
  'locked',
  'disabled',
  'revoked',
  'pending',
  'none',
] as const;
export const USER_SORTS = ['username', 'name', 'lastSignIn'] as const;
/** As long as the longest field searched (a name; an e-mail address is cut at it). */
export const SEARCH_MAX = NAME_MAX;

export interface UserSearch extends PageRequest {
  /** A prefix of the username, the name or the e-mail address, in any case. */
  q?: string;
  source?: string;
  role?: string;
  state?: string;
  token?: string;
  /** `username` (the default), `name`, or `lastSignIn` (newest first, never last). */
  sort?: string;
}

type UserSelect = SelectQueryBuilder<Database, 'users', UserRow>;

/** A page of the users that match `search`, in its order: one query per page. */
export async function searchUsers(core: Core, search: UserSearch = {}): Promise<Page<User>> {
  const limit = pageLimit(search);
  const select = narrow(core.store.db.selectFrom('users').selectAll(), search);
  const sort = oneOf('sort', search.sort, USER_SORTS) ?? 'username';
  if (sort === 'name') return byName(select, search.cursor, limit);
  if (sort === 'lastSignIn') return byLastSignIn(core, select, search.cursor, limit);
  return byUsername(select, search.cursor, limit);
}

/** The filters, each a condition checked along the index the order walks. */
function narrow(select: UserSelect, search: UserSearch): UserSelect {
  let narrowed = select;
  const prefix = searchPrefix(search.q);
  if (prefix !== undefined) {
    const pattern = `${escapeLike(prefix)}%`;
    narrowed = narrowed.where((eb) =>
      eb.or(
        (['username', 'name_key', 'email_key'] as const).map(
          (column) => sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  const source = oneOf('source', search.source, USER_SOURCES);
  if (source) narrowed = narrowed.where('directory', source === 'pforte' ? 'is' : 'is not', null);
  const role = oneOf('role', search.role, ROLE_FILTERS);
  if (role)
    narrowed = narrowed.where('role', role === 'none' ? 'is' : '=', role === 'none' ? null : role);
  const state = oneOf('state', search.state, USER_STATES);
  if (state) narrowed = narrowed.where('disabled', '=', state === 'disabled' ? 1 : 0);
  const token = oneOf('token', search.token, TOKEN_FILTERS);
  if (token === 'none')
    narrowed = narrowed.where((eb) => eb.not(eb.exists(tokensIn(eb, 'active'))));
  else if (token) narrowed = narrowed.where((eb) => eb.exists(tokensIn(eb, token)));
  return narrowed;
}

function tokensIn(eb: ExpressionBuilder<Database, 'users'>, state: TokenState) {
  return eb
    .selectFrom('tokens')
    .select(sql.lit(1).as('one'))
    .whereRef('tokens.user_id', '=', 'users.id')
    .where('tokens.state', '=', state);
}

async function byUsername(select: UserSelect, cursor: string | undefined, limit: number) {
  const after = readCursor(cursor, ['string'] as const);
  const rows = await (after ? select.where('username', '>', after[0]) : select)
    .orderBy('username')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.username], toUser);
}

async function byName(select: UserSelect, cursor: string | undefined, limit: number) {
  const after = readCursor(cursor, ['string', 'string'] as const);
  const rows = await (
    after
      ? select.where((eb) =>
          eb.or([
            eb('name_key', '>', after[0]),
            eb.and([eb('name_key', '=', after[0]), eb('username', '>', after[1])]),
          ]),
        )
      : select
  )
    .orderBy('name_key')
    .orderBy('username')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.name_key, row.username], toUser);
}

/** In a cursor of the last-sign-in order: the users who never signed in, after all who did. */
const NEVER = -1;

/**
 * Newest sign-in first, then those who never signed in, by username. The two runs are
 * two walks of `users_by_last_signin` (its signed-in part backwards, its null part
 * forwards), each limited, in one query; only their at most 2·(limit + 1) rows are put
 * in order. A cursor in the second run walks only that.
 */
async function byLastSignIn(
  core: Core,
  select: UserSelect,
  cursor: string | undefined,
  limit: number,
): Promise<Page<User>> {
  const after = readCursor(cursor, ['number', 'string'] as const);
  const inNeverRun = after !== undefined && after[0] === NEVER;
  const never = select
    .where('last_signin_at', 'is', null)
    .$if(inNeverRun, (q) => q.where('username', '>', after![1]))
    .orderBy('username')
    .limit(limit + 1);
  if (inNeverRun) {
    const rows = await never.execute();
    return toPage(rows, limit, (row) => [NEVER, row.username], toUser);
  }
  const signedIn = select
    .where('last_signin_at', 'is not', null)
    .$if(after !== undefined, (q) =>
      q.where(afterKey(['last_signin_at', 'username'], after!, true)),
    )
    .orderBy('last_signin_at', 'desc')
    .orderBy('username')
    .limit(limit + 1);
  const { db } = core.store;
  const rows = await db
    .selectFrom(
      db
        .selectFrom(signedIn.as('signed_in'))
        .selectAll()
        .select(sql.lit(0).as('run'))
        .unionAll(
          db.selectFrom(never.as('never_signed_in')).selectAll().select(sql.lit(1).as('run')),
        )
        .as('both'),
    )
    .selectAll()
    .orderBy('run')
    .orderBy('last_signin_at', 'desc')
    .orderBy('username')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.last_signin_at ?? NEVER, row.username], toUser);
}

/** The search text as the keys hold it (lower case), or undefined when it is empty. */
function searchPrefix(q: string | undefined): string | undefined {
  if (q === undefined) return undefined;
  const prefix = q.normalize('NFC').trim().toLowerCase();
  if (textLength(prefix) > SEARCH_MAX || /[\p{Cc}\p{Cf}]/u.test(prefix)) {
    throw invalid(`search must be at most ${SEARCH_MAX} characters without control characters`);
  }
  return prefix === '' ? undefined : prefix;
}

/** `%`, `_` and the escape itself stand for themselves in the LIKE pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A filter's value, checked against what it may be; empty means no filter. */
function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(`${name} must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}`);
  }
  return value as T;
}
