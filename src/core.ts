/**
 * Assembling the core (context.ts): the master key, the store (migrated), the keyring,
 * the logger, SMTP and the directories; `closeCore` lets go of them. Imported by the
 * process hosts (run/serve.ts, the CLI) and tests only: everything else gets a core.
 */
import { ensureChainKey } from './audit/chain.js';
import { systemClock, systemRandom, type Clock, type Random } from './clock.js';
import type { Config } from './config/schema.js';
import {
  adoptSealingKey,
  loadKeyring,
  stopWatchingKeyring,
  watchKeyring,
} from './crypto/key-ring.js';
import { Directory } from './directory/directory.js';
import { createLogger, type Logger } from './log.js';
import { createSmtpMailer } from './mail/mailer.js';
import { createMetrics } from './metrics/metrics.js';
import type { Core } from './context.js';
import { openStore } from './store/open.js';

export async function openCore(
  config: Readonly<Config>,
  options: { clock?: Clock; random?: Random; log?: Logger; migrations?: 'run' | 'check' } = {},
): Promise<Core> {
  const random = options.random ?? systemRandom;
  const log = options.log ?? createLogger(config.log.level);
  const keyring = loadKeyring(config, random);
  const metrics = createMetrics();
  const store = await openStore({
    url: config.database.url,
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
    onConnectionLost: (error) => {
      metrics.countConnectionLost();
      log.warn({ detail: error.message }, 'database connection lost');
    },
    onQueryError: (error) => metrics.countDatabaseError(error),
    migrations: options.migrations,
  });
  const core: Core = {
    config,
    store,
    clock: options.clock ?? systemClock,
    random,
    keyring,
    log,
    mailer: config.mail.smtpUrl
      ? createSmtpMailer(config.mail.smtpUrl, config.mail.from)
      : undefined,
    directories: config.directories.map((directory) => new Directory(directory)),
    metrics,
  };
  if (store.pool) metrics.watchPool(store.pool, config.database.poolSize);
  try {
    await adoptSealingKey(core);
    await ensureChainKey(core);
  } catch (error) {
    await closeCore(core);
    throw error;
  }
  watchKeyring(core);
  return core;
}

export async function closeCore(core: Core): Promise<void> {
  stopWatchingKeyring(core);
  core.mailer?.close();
  await Promise.all(core.directories.map((directory) => directory.close()));
  await core.store.close();
}
