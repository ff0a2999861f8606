/**
 * A fresh core for a test: its own SQLite folder or its own PostgreSQL database, a
 * fake clock, and the configuration a user would get (plus what the test overrides).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { closeCore, openCore } from '../../src/core.js';
import type { Caller, Core } from '../../src/context.js';

export const DATABASES = ['sqlite', 'postgres'] as const;
export type TestDatabase = (typeof DATABASES)[number];

/** 2026-11-29 09:00:00 UTC, at the start of a 30 s step. */
export const START = Date.UTC(2026, 10, 29, 9, 0, 0);

export class FakeClock implements Clock {
  constructor(public ms = START) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const ADMIN: Caller = { face: 'cli', actor: 'cli:test', address: 'local' };
export const SERVICE: Caller = { face: 'api', actor: 'apikey:test', address: '192.0.2.10' };

export interface TestCore {
  core: Core;
  clock: FakeClock;
  dataDir: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function makeCore(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pforte-test-'));
  const fullEnv: Record<string, string> = {
    PFORTE_DATA_DIR: dataDir,
    PFORTE_LOG_LEVEL: 'silent',
    ...(database === 'postgres' ? { PFORTE_DATABASE_URL: await freshPostgresDatabase() } : {}),
    ...env,
  };
  const clock = new FakeClock();
  const core = await openCore(loadConfig({ env: fullEnv }), { clock });
  return {
    core,
    clock,
    dataDir,
    env: fullEnv,
    async close() {
      await closeCore(core);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let databases = 0;

/** A new, empty database in the suite's PostgreSQL cluster. */
export async function freshPostgresDatabase(): Promise<string> {
  const base = new URL(inject('postgresUrl'));
  const name = `pforte_${process.pid}_${Date.now().toString(36)}_${databases++}`;
  const client = new pg.Client({ connectionString: base.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  base.pathname = `/${name}`;
  return base.toString();
}
