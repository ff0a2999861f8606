/**
 * Making the OpenID signing keys never hangs. A server once hung for good on its first
 * start: exporting the key generator's own key object as a JWK deadlocks Node 20 when a
 * garbage collection falls inside the export (the collection frees the spent generator
 * job, which waits for the lock the export holds). With a young generation of 1 MB,
 * collections come often enough that the old way hung within a few thousand keys in half
 * the runs; the key is now read into a key object of its own first.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const KEYS = 4000;
const MODULE = new URL('../../dist/oidc/signing-keys.js', import.meta.url).href;

describe('OpenID signing key generation', () => {
  it(
    `makes ${KEYS} keys in a row under constant garbage collection without hanging`,
    { timeout: 120_000 },
    async () => {
      const script = `
        const { newPrivateJwk } = await import(${JSON.stringify(MODULE)});
        let made = 0;
        for (let i = 0; i < ${KEYS}; i++) if (newPrivateJwk('ES256').d) made++;
        process.stdout.write(String(made));`;
      const { stdout } = await run(
        process.execPath,
        ['--max-semi-space-size=1', '--min-semi-space-size=1', '--input-type=module', '-e', script],
        // A hung process is killed, and the test fails saying so.
        { timeout: 90_000, killSignal: 'SIGKILL' },
      );
      expect(stdout).toBe(String(KEYS));
    },
  );
});
