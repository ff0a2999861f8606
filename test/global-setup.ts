/**
 * Starts what the whole suite shares: a throwaway PostgreSQL cluster on a free
 * loopback port (unless PFORTE_TEST_DATABASE_URL names one), so that `npm test` runs
 * the storage suite on SQLite and PostgreSQL alike. A missing PostgreSQL is a
 * failure, not a skip.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

const SCRIPT = new URL('../scripts/test-services/postgres.sh', import.meta.url).pathname;

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.PFORTE_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return () => undefined;
  }
  const port = await freePort();
  const output = execFileSync('bash', [SCRIPT, 'start', String(port)], { encoding: 'utf8' });
  const values = Object.fromEntries(
    output
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  project.provide('postgresUrl', values.DATABASE_URL!);
  return () => {
    execFileSync('bash', [SCRIPT, 'stop', values.PGROOT!]);
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', reject);
  });
}
