/**
 * The core's context: everything a core function needs, passed in rather than
 * reached for, so that tests can give it a fake clock and faces stay thin.
 */
import { systemClock, systemRandom, type Clock, type Random } from './clock.js';
import type { Config } from './config/schema.js';
import { loadMasterKey } from './crypto/master-key.js';
import { createKeyring, type Keyring } from './crypto/seal.js';
import { Directory } from './directory/directory.js';
import { PforteError } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { createSmtpMailer, type Mailer } from './mail/mailer.js';
import { openStore, type Store } from './store/open.js';

export interface Core {
  config: Readonly<Config>;
  store: Store;
  clock: Clock;
  random: Random;
  keyring: Keyring;
  log: Logger;
  /** SMTP, when configured; otherwise mail stays in the outbox. */
  mailer: Mailer | undefined;
  /** The configured LDAP directories, in the order they are asked. */
  directories: Directory[];
}

/** Who asks: the face the request came through, the acting principal and the client address. */
export interface Caller {
  face: 'api' | 'cli' | 'portal' | 'web' | 'radius' | 'system';
  /** An API key's name, an OS user for the CLI, or a username. */
  actor: string;
  address: string;
}

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
