// A Pforte server and a phone in Chromium, for the scripts that drive the real app:
// `npm run docs:screenshots` and the app's part of `npm run bench`. The server runs in
// this process (built code from dist/, SQLite in a temporary folder, mail kept in the
// outbox) on a loopback port the system picks; the phone is Debian's Chromium driven by
// playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, devices } from 'playwright-core';
import { loadConfig } from '../../dist/config/load.js';
import { closeCore, openCore } from '../../dist/core.js';
import { startEnrollment } from '../../dist/enrollment/enrollments.js';
import { buildApp } from '../../dist/http/app.js';
import { createUser } from '../../dist/users/users.js';
// The flags that make Debian's Chromium run headless as root here (shared with the tests).
import CHROMIUM_ARGS from './chromium-flags.json' with { type: 'json' };

const ADMIN = { face: 'cli', actor: 'cli:script', address: 'local' };

/** Starts the server; `organisation` names the tokens, `env` adds settings. */
export async function startServer({ organisation = 'Example AG', env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pforte-script-'));
  const listener = createServer();
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${listener.address().port}`;
  const core = await openCore(
    loadConfig({
      env: {
        PFORTE_DATA_DIR: dataDir,
        PFORTE_LOG_LEVEL: 'silent',
        PFORTE_PUBLIC_URL: url,
        PFORTE_ORGANISATION_NAME: organisation,
        ...env,
      },
    }),
  );
  const app = await buildApp(core);
  await app.ready();
  listener.on('request', app.routing);
  let users = 0;
  return {
    url,
    /** The server's core, for scripts that set up users, tokens and roles directly. */
    core,
    /**
     * An enrollment for `username` (a new user unless given): the link of the
     * enrollment e-mail.
     */
    async enroll(lang = 'en', username = undefined) {
      if (username === undefined) {
        username = `user${++users}`;
        await createUser(core, ADMIN, { username, email: `${username}@example.org`, lang });
      }
      const started = await startEnrollment(core, ADMIN, { username, sendMail: false });
      return started.link;
    },
    async close() {
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
      await app.close();
      await closeCore(core);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** An Android phone (Pixel 7's user agent and touch) with a given viewport and scale. */
export function androidPhone(lang, { width = 412, height = 839, scale = 2.625 } = {}) {
  return {
    ...devices['Pixel 7'],
    viewport: { width, height },
    screen: { width, height },
    deviceScaleFactor: scale,
    locale: lang === 'de' ? 'de-DE' : 'en-GB',
  };
}

export function iPhoneSafari(lang, { width = 390, height = 844, scale = 3 } = {}) {
  const { userAgent, isMobile, hasTouch } = devices['iPhone 14'];
  return {
    userAgent,
    isMobile,
    hasTouch,
    viewport: { width, height },
    screen: { width, height },
    deviceScaleFactor: scale,
    locale: lang === 'de' ? 'de-DE' : 'en-GB',
  };
}
