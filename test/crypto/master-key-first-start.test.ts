/**
 * The master key file is made by whichever process starts first on a fresh data folder.
 * Several starting in the same moment (a service manager starting the server and an
 * administrator's first command) once let one read master.key while another was still
 * writing it, and stop with "does not hold a 32-byte key". Real processes, since the
 * race is between processes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { BIN } from '../helpers/server-process.js';

const run = promisify(execFile);
const ROUNDS = 6;
const AT_ONCE = 4;

describe('the master key on a fresh data folder', () => {
  it(
    `is one and the same for ${AT_ONCE} processes that start at once, in each of ${ROUNDS} rounds`,
    { timeout: 120_000 },
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const dataDir = mkdtempSync(join(tmpdir(), 'pforte-first-key-'));
        try {
          const env = { PATH: process.env.PATH ?? '', PFORTE_DATA_DIR: dataDir };
          expect((await cli(env, ['migrate'])).code).toBe(0);
          // `user list` seals nothing, but opens the key ring like every command and the server.
          const results = await Promise.allSettled(
            Array.from({ length: AT_ONCE }, () =>
              run(process.execPath, [BIN, 'user', 'list'], { env }),
            ),
          );
          const failures = results
            .filter((result) => result.status === 'rejected')
            .map((result) => String((result.reason as { stderr?: string }).stderr));
          expect(failures).toEqual([]);
          expect(readFileSync(join(dataDir, 'master.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
          expect(readdirSync(dataDir).filter((name) => name.startsWith('master'))).toEqual([
            'master.key',
          ]);
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    },
  );
});
