/**
 * The enrollment code never appears in the server's log (DESIGN.md section 4), even
 * with every request logged: the page, the standard-app forms and the activation.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { activate, type Send } from '../helpers/enrollment-client.js';
import { startServerProcess } from '../helpers/server-process.js';
import { startSmtpServer } from '../helpers/smtp.js';

describe('the server log', () => {
  it('never shows an enrollment code', async () => {
    const smtp = await startSmtpServer();
    const env = {
      PFORTE_DATA_DIR: mkdtempSync(join(tmpdir(), 'pforte-logs-')),
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_LOG_LEVEL: 'trace',
    };
    await cli(env, ['migrate']);
    await cli(env, ['user', 'add', 'alice', '--email', 'alice@example.org']);
    const server = await startServerProcess(env);
    try {
      const link = JSON.parse((await cli(env, ['enroll', 'alice', '--json'])).stdout)
        .link as string;
      const code = link.split('/enroll/')[1]!;
      const path = `/enroll/${code}`;
      expect((await fetch(`${server.url}${path}`)).status).toBe(200);
      expect((await fetch(`${server.url}${path}/standard`, { method: 'POST' })).status).toBe(200);
      const send: Send = async (method, url, body) => {
        const response = await fetch(`${server.url}${url}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: await response.json() };
      };
      const app = await activate(send, code);
      expect((await app.confirm!()).status).toBe(200);
      expect((await fetch(`${server.url}${path}`)).status).toBe(404);
      const log = server.output();
      expect(log).toContain('/enroll/[redacted]');
      for (const form of [code, code.toLowerCase(), code.match(/.{5}/g)!.join('-')]) {
        expect(log).not.toContain(form);
      }
      expect(log).not.toContain(app.proof!);
    } finally {
      await server.stop();
      await smtp.close();
    }
  });
});
