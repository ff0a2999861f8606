/**
 * Forward authentication for real: Debian's nginx on loopback, configured with
 * docs/nginx/pforte.conf exactly as documented, in front of a small application. A
 * browser asking nginx for the protected page is sent to the portal, signs in, and comes
 * back to the page; without a session the page is never served.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { addUserWithToken, type TestToken } from '../helpers/tokens.js';
import { expectHeading, usePhone } from './steps.js';

const SNIPPET = readFileSync(new URL('../../docs/nginx/pforte.conf', import.meta.url), 'utf8');

const nginxPort = await freePort();
const NGINX = `http://127.0.0.1:${nginxPort}`;

describe('Pforte behind nginx auth_request', { timeout: 120_000 }, () => {
  const phone = usePhone({
    serverEnv: { PFORTE_PUBLIC_URL: NGINX, PFORTE_TRUST_PROXY: '127.0.0.1' },
  });
  let app: Server;
  let nginx: ChildProcess;
  let dir: string;
  const served: string[] = [];

  beforeAll(async () => {
    app = createServer((request, response) => {
      served.push(request.url ?? '');
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(
        `<!doctype html><title>Reports</title><h1>Quarterly reports</h1><p id="user">${String(
          request.headers['x-pforte-user'],
        )}</p>`,
      );
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => app.close(() => resolve()));
  });

  async function startNginx(pforteUrl: string): Promise<void> {
    dir = mkdtempSync(join(tmpdir(), 'pforte-nginx-'));
    const pforte = new URL(pforteUrl).host;
    const upstream = `127.0.0.1:${(app.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'pforte.conf'), SNIPPET);
    writeFileSync(
      join(dir, 'nginx.conf'),
      `worker_processes 1;
user root root;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream pforte { server ${pforte}; }
  upstream app { server ${upstream}; }
  server {
    listen 127.0.0.1:${nginxPort};
    include ${dir}/pforte.conf;
  }
}
`,
    );
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    nginx.stderr!.on('data', (chunk) => (errors += String(chunk)));
    // Ready when it answers; a configuration error ends the process instead.
    await expect
      .poll(async () => {
        if (nginx.exitCode !== null) throw new Error(`nginx ended: ${errors}`);
        return fetch(`${NGINX}/login`).then(
          (r) => r.status,
          () => 0,
        );
      })
      .toBe(200);
  }

  async function stopNginx(): Promise<void> {
    const ended = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await ended;
    rmSync(dir, { recursive: true, force: true });
  }

  it('sends a browser without a session to the portal, and back to the page after sign-in', async () => {
    await startNginx(phone.server.url);
    try {
      const token: TestToken = await addUserWithToken(phone.server.t.core, 'alice', {
        password: 'correct horse battery',
      });
      const direct = await fetch(`${NGINX}/reports/q3?year=2026`, { redirect: 'manual' });
      expect(direct.status).toBe(302);
      expect(served).toEqual([]);

      const { page } = phone;
      // A browser that claims to be someone does not become them.
      await page.setExtraHTTPHeaders({ 'X-Pforte-User': 'mallory' });
      await page.goto(`${NGINX}/reports/q3?year=2026`);
      await expectHeading(page, 'Welcome');
      // On Pforte's own origin the return address is kept as a path (return-address.ts).
      expect(new URL(page.url()).searchParams.get('return')).toBe('/reports/q3?year=2026');
      phone.server.t.clock.ms = Date.now();
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Token code').fill(token.code());
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectHeading(page, 'Quarterly reports');
      expect(page.url()).toBe(`${NGINX}/reports/q3?year=2026`);
      expect(await page.locator('#user').textContent()).toBe('alice');
      // (The browser may also have fetched /favicon.ico, now that it may.)
      const reports = () => served.filter((url) => url.startsWith('/reports'));
      expect(reports()).toEqual(['/reports/q3?year=2026']);

      // Signed out, the page is not served again.
      await page.goto(`${NGINX}/services`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.goto(`${NGINX}/reports/q3?year=2026`);
      await expectHeading(page, 'Welcome');
      expect(reports()).toHaveLength(1);
    } finally {
      await stopNginx();
    }
  });
});
