/**
 * Statements compiled once, in the store's dialect (`?` or `$1`), for the paths every
 * sign-in runs: building and compiling a Kysely query anew per request cost more than
 * SQLite took to run it (issue 17's profile). A statement's parameters are named
 * (`param`) and given by name per call; values that never change at run time (the
 * configuration's constants) are written into the SQL with `sql.lit`.
 */
import {
  CompiledQuery,
  sql,
  type Compilable,
  type Kysely,
  type QueryResult,
  type RawBuilder,
} from 'kysely';
import type { Core } from '../context.js';
import type { Dialect } from './migrations.js';
import type { Database } from './tables.js';

/** A parameter of a prepared statement, by name (it may appear more than once). */
export const param = (name: string): RawBuilder<unknown> => sql`${name}`;

/** A compiled statement: its parameters' values by name make the query to run. */
export type Prepared<R, K extends string> = (values: Record<K, unknown>) => CompiledQuery<R>;

export function prepare<R, K extends string>(
  db: Kysely<Database>,
  statement: RawBuilder<R>,
): Prepared<R, K> {
  const compiled = statement.compile(db);
  const names = compiled.parameters as readonly K[];
  return (values) =>
    CompiledQuery.raw(
      compiled.sql,
      names.map((name) => values[name]),
    ) as CompiledQuery<R>;
}

/** A placeholder a built query carries where a named parameter's value goes. */
class Placeholder {
  constructor(readonly name: string) {}
}

/**
 * A query written with Kysely's builder, built and compiled once: `build` gets a
 * function that stands for a named parameter (typed `never`, so the builder takes it
 * wherever a value goes).
 * Values the builder was given directly (constants) stay as they were compiled.
 */
export function prepareQuery<R, K extends string>(
  db: Kysely<Database>,
  build: (db: Kysely<Database>, p: (name: K) => never) => Compilable<R>,
): Prepared<R, K> {
  const compiled = build(db, (name) => new Placeholder(name) as never).compile();
  const slots = compiled.parameters;
  return (values) =>
    CompiledQuery.raw(
      compiled.sql,
      slots.map((slot) => (slot instanceof Placeholder ? values[slot.name as K] : slot)),
    ) as CompiledQuery<R>;
}

/**
 * Statements made by `make` the first time a core of this configuration and dialect
 * asks, then reused (a transaction's core shares its configuration, so it gets the same).
 */
export function statementsOf<S>(
  make: (db: Kysely<Database>, config: Core['config']) => S,
): (core: Core) => S {
  const made = new WeakMap<object, Map<Dialect, S>>();
  return (core) => {
    let byDialect = made.get(core.config);
    if (!byDialect) made.set(core.config, (byDialect = new Map()));
    let statements = byDialect.get(core.store.dialect);
    if (!statements) {
      statements = make(core.store.db, core.config);
      byDialect.set(core.store.dialect, statements);
    }
    return statements;
  };
}

/** Runs a prepared query on the core's store (inside its transaction, if it is one). */
export async function run<R>(core: Core, query: CompiledQuery<R>): Promise<R[]> {
  return (await core.store.db.executeQuery(query)).rows;
}

/**
 * Runs a write that needs no transaction of its own: inside the core's transaction if it
 * is one, else on SQLite committed together with the other writes of this moment
 * (group-commit.ts). Resolves once it is committed.
 */
export function runWrite<R>(core: Core, query: CompiledQuery<R>): Promise<QueryResult<R>> {
  const { db, groupCommit } = core.store;
  return groupCommit && !db.isTransaction ? groupCommit.write(query) : db.executeQuery(query);
}
