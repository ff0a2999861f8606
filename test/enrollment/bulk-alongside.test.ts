/**
 * A bulk enrollment of thousands runs in the server that answers everyone else. On the
 * embedded database its queries are synchronous (better-sqlite3), and a loop of them
 * never gives Node's event loop a turn by itself: the server once sent no mail and
 * answered no request until the last row was enrolled. Rows are now committed in groups
 * (store/grouped-transaction.ts), and each commit lets the sockets be served.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

const ROWS = 3000;

describe('a bulk enrollment in a running server', () => {
  let dataDir: string;
  let smtp: TestSmtp;
  let server: ServerProcess;
  let key: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pforte-bulk-alongside-'));
    smtp = await startSmtpServer();
    const env = {
      PFORTE_DATA_DIR: dataDir,
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_MAIL_FROM: 'IT <it@example.test>',
    };
    await cli(env, ['migrate']);
    key = (await cli(env, ['apikey', 'create', 'hr', '--scope', 'admin'])).stdout.trim();
    server = await startServerProcess(env);
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'mails the first rows while later ones are still enrolled, and answers other requests meanwhile',
    { timeout: 120_000 },
    async () => {
      const rows = Array.from({ length: ROWS }, (_, i) => ({
        username: `staff${i}`,
        email: `staff${i}@example.org`,
        name: `Staff Member ${i}`,
      }));
      let answered = false;
      const firstMail = smtp.nextMessage();
      const bulk = fetch(`${server.url}/api/v1/enrollments/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ rows }),
      }).then(async (response) => {
        answered = true;
        return { status: response.status, summary: await response.json() };
      });

      await Promise.race([firstMail, bulk]);
      // Read beside the server, as a second process may (WAL lets it read while the server writes).
      const file = new SQLite(join(dataDir, 'pforte.sqlite'), { readonly: true });
      const enrolledAtFirstMail = (
        file.prepare('select count(*) as n from enrollments').get() as { n: number }
      ).n;
      file.close();
      const health = await fetch(`${server.url}/healthz`);

      expect(enrolledAtFirstMail).toBeLessThan(ROWS);
      expect(health.status).toBe(200);
      expect(answered).toBe(false);
      const { status, summary } = await bulk;
      expect(status).toBe(200);
      expect(summary).toMatchObject({ total: ROWS, started: ROWS, sent: ROWS, failed: [] });
      expect(smtp.received).toHaveLength(ROWS);
      console.log(
        `bulk alongside: first mail received when ${enrolledAtFirstMail} of ${ROWS} rows were enrolled`,
      );
    },
  );
});
