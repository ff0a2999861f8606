/**
 * `pforte serve` hashes passwords on as many threads as the machine has cores (at least
 * two), as bin/pforte.js intends: argon2id takes 19 MiB per hash, and threads beyond the
 * cores only add memory and take turns with the event loop.
 *
 * Regression: the entry was an ES module, which Node reads through libuv's thread pool,
 * so the pool was already made (with libuv's 4 threads) when the entry set its size. On
 * this 2-core machine 4 threads hashed, and the peak memory under sign-in load was some
 * 40 MB higher.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** Nanoseconds each thread of `pid` has run, by thread id. */
function threadTimes(pid: number): Map<string, number> {
  const times = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [ran] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
      times.set(tid, Number(ran));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return times;
}

describe('password hashing threads of pforte serve', () => {
  let dataDir: string;
  let server: ServerProcess;
  let key: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pforte-threads-'));
    // All from one address: on a machine of many cores, more than a minute's default share.
    server = await startServerProcess({
      PFORTE_DATA_DIR: dataDir,
      PFORTE_RATE_LIMIT_PER_MINUTE: '100000',
    });
    key = (await cli({ PFORTE_DATA_DIR: dataDir }, ['apikey', 'create', 'svc'])).stdout.trim();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** `count` sign-ins of unknown users with a password, all at once: each is checked against a dummy hash (users/password.ts), as long as a wrong password takes. */
  const passwordChecks = async (count: number, from: number) => {
    const answers = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const response = await fetch(`${server.url}/api/v1/validate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ username: `nobody${from + i}`, otp: '123456', password: 'guess' }),
        });
        return ((await response.json()) as { result: string }).result;
      }),
    );
    expect(answers).toEqual(new Array(count).fill('reject'));
  };

  it('hashes on as many threads as there are cores, not on libuv’s default 4', async () => {
    const cores = Math.max(2, availableParallelism());
    const pid = server.child.pid!;
    // Once first, so that V8's compiling of the sign-in's code is done before measuring.
    await passwordChecks(2 * cores, 0);
    const before = threadTimes(pid);
    await passwordChecks(10 * cores, 1000);

    // The threads that hashed: each ran at least half as long as the busiest (V8's own
    // helpers and the event loop ran far less than a thread of ten hashes).
    const ran = [...threadTimes(pid)]
      .filter(([tid]) => tid !== String(pid))
      .map(([tid, ns]) => ns - (before.get(tid) ?? 0));
    const busiest = Math.max(...ran);
    expect(ran.filter((ns) => ns >= busiest / 2)).toHaveLength(cores);
  });
});
