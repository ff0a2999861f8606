/**
 * The browser for end-to-end tests: Debian's Chromium (never a downloaded one) driven by
 * playwright-core, emulating a phone, against a Pforte server listening on a free
 * loopback port, with mail going to a real SMTP server on loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  chromium,
  devices,
  type Browser,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { deliverDueMail } from '../../src/mail/outbox.js';
// The flags that make Debian's Chromium run headless as root on this kind of machine.
import CHROMIUM_ARGS from '../../scripts/lib/chromium-flags.json' with { type: 'json' };
import { createUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from './app.js';
import { ADMIN } from './core.js';
import { linkIn, startSmtpServer, type TestSmtp } from './smtp.js';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** An Android phone (Pixel 7: small viewport, touch, mobile user agent) in `lang`. */
export function androidPhone(lang: 'en' | 'de' = 'en'): BrowserContextOptions {
  return { ...devices['Pixel 7'], locale: lang === 'de' ? 'de-DE' : 'en-GB' };
}

/** An iPhone's viewport and user agent (Safari, not the installed app). */
export function iPhoneSafari(): BrowserContextOptions {
  const { viewport, userAgent, deviceScaleFactor, isMobile, hasTouch } = devices['iPhone 14'];
  return { viewport, userAgent, deviceScaleFactor, isMobile, hasTouch, locale: 'en-GB' };
}

export interface AppServer {
  t: TestApp;
  url: string;
  smtp: TestSmtp;
  /** Starts an enrollment for `username` (a new user speaks `lang`) and returns the mailed link. */
  enroll(username: string, lang?: 'en' | 'de'): Promise<string>;
  /** From now on, serve the authenticator from `dir` (another build: a new version). */
  serveApp(dir: URL): Promise<void>;
  /** Asks the server, as a service would, whether the sign-in is right. */
  validate(username: string, otp: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A server on a free loopback port whose public URL is that port: the listener is bound
 * first, then the app is built for its address. The server's clock starts at the real
 * time, because the browser's passcodes are computed from the real time.
 */
export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const smtp = await startSmtpServer();
  const listener: Server = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const t = await makeApp('sqlite', {
    PFORTE_PUBLIC_URL: url,
    PFORTE_SMTP_URL: smtp.url,
    PFORTE_MAIL_FROM: 'Example IT <it@example.org>',
    PFORTE_ORGANISATION_NAME: 'Example AG',
    ...env,
  });
  t.clock.ms = Date.now();
  await t.app.ready();
  listener.on('request', t.app.routing);
  const others: FastifyInstance[] = [];
  return {
    t,
    url,
    smtp,
    async enroll(username, lang = 'en') {
      const known = await t.call({ method: 'GET', url: `/api/v1/users/${username}` });
      if (known.statusCode === 404) {
        await createUser(t.core, ADMIN, {
          username,
          email: `${username}@example.org`,
          lang,
          password: 'correct horse battery',
        });
      }
      const response = await t.call({
        method: 'POST',
        url: '/api/v1/enrollments',
        payload: { username },
      });
      if (response.statusCode !== 201) throw new Error(`enrollment: ${response.body}`);
      await deliverDueMail(t.core);
      return linkIn(smtp.received.at(-1)!);
    },
    async serveApp(dir) {
      const next = await buildApp(t.core, { appDir: dir });
      await next.ready();
      others.push(next);
      listener.removeAllListeners('request');
      listener.on('request', next.routing);
    },
    async validate(username, otp, password = 'correct horse battery') {
      t.clock.ms = Date.now();
      const response = await t.call({
        method: 'POST',
        url: '/api/v1/validate',
        key: t.validateKey,
        payload: { username, password, otp },
      });
      return (response.json() as { result: string }).result;
    },
    async close() {
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const other of others) await other.close();
      await t.close();
      await smtp.close();
    },
  };
}

/** Fails the test on a Content-Security-Policy violation or an uncaught error in the page. */
export function watchPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return problems;
}
