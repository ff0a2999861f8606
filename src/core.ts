/**
 * Assembling the core (context.ts): the master key, the store (migrated), the keyring,
 * the logger, SMTP and the directories; `closeCore` lets go of them. Imported by the
 * process hosts (run/serve.ts, the CLI) and tests only: everything else gets a core.
 */
import { systemClock, systemRandom, type Clock, type Random } from './clock.js';
import type { Config } from './config/schema.js';
import { loadMasterKey } from './crypto/master-key.js';
import { createKeyring } from './crypto/seal.js';
import { Directory } from './directory/directory.js';
import { PforteError } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { createSmtpMailer } from './mail/mailer.js';
import type { Core } from './context.js';
import { openStore } from './store/open.js';

export async function openCore(
  config: Readonly<Config>,
  options: { clock?: Clock; random?: Random; log?: Logger } = {},
): Promise<Core> {
  const random = options.random ?? systemRandom;
  const log = options.log ?? createLogger(config.log.level);
  const key = loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir, random });
  const store = await openStore({
    url: config.database.url,
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
    onConnectionLost: (error) => log.warn({ detail: error.message }, 'database connection lost'),
  });
  const core: Core = {
    config,
    store,
    clock: options.clock ?? systemClock,
    random,
    keyring: createKeyring(key),
    log,
    mailer: config.mail.smtpUrl
      ? createSmtpMailer(config.mail.smtpUrl, config.mail.from)
      : undefined,
    directories: config.directories.map((directory) => new Directory(directory)),
  };
  try {
    await checkSealingKey(core);
  } catch (error) {
    await closeCore(core);
    throw error;
  }
  return core;
}

export async function closeCore(core: Core): Promise<void> {
  core.mailer?.close();
  await Promise.all(core.directories.map((directory) => directory.close()));
  await core.store.close();
}

/**
 * Refuses to start with a master key other than the one the database's seeds are
 * sealed with: a second server with its own generated key file would otherwise fail
 * every sign-in. The first start records the key's id.
 */
async function checkSealingKey(core: Core): Promise<void> {
  const { db } = core.store;
  await db
    .insertInto('sealing_key')
    .values({ id: 1, key_id: core.keyring.currentId, created_at: core.clock.now() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const { key_id: sealedWith } = await db
    .selectFrom('sealing_key')
    .select('key_id')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  if (!core.keyring.keys.has(sealedWith)) {
    throw new PforteError(
      'ERR_CONFIG',
      `this database is sealed with master key ${sealedWith}, but this server has ${core.keyring.currentId}: give it the same PFORTE_MASTER_KEY or master.key file`,
    );
  }
}
