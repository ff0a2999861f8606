/**
 * A server's keyring over its life: the master keys it holds, and which one seals.
 *
 * The database says which key is current (the `sealing_key` row), for every server
 * alike: a server given the next key early (docs/key-rotation.md) keeps sealing under
 * the current one until `pforte key rotate` switches the row, so no server ever seals
 * what another cannot open. Servers learn the switch within REFRESH_MS, and a key file
 * written meanwhile as soon as they meet a value sealed under it.
 */
import type { Random } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Core } from '../context.js';
import { PforteError } from '../errors.js';
import { decodeKeyList, loadKeyFiles, loadMasterKey } from './master-key.js';
import { keyIdOf, type Keyring } from './seal.js';

/** How often a server reads the current key id and the key files again. */
export const REFRESH_MS = 10_000;
/** Each key id this server lacks sends it to the key files at most this often. */
const FIND_INTERVAL_MS = 1_000;

/** The configured master key (PFORTE_MASTER_KEY or master.key), created on first start. */
export function loadConfiguredKey(config: Readonly<Config>, random: Random): Buffer {
  return loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir, random });
}

/**
 * Every key this server holds: the configured one (current until the database says
 * otherwise), PFORTE_MASTER_KEYS_PREVIOUS, and the `master-<key id>.key` files.
 */
export function loadKeyring(config: Readonly<Config>, random: Random): Keyring {
  const configured = loadConfiguredKey(config, random);
  const keys = new Map<string, Buffer>();
  const add = (key: Buffer) => keys.set(keyIdOf(key), key);
  [configured, ...decodeKeyList(config.masterKeysPrevious)].forEach(add);
  loadKeyFiles(config.dataDir).forEach(add);
  const lookedFor = new Map<string, number>();
  return {
    currentId: keyIdOf(configured),
    keys,
    find(keyId) {
      const now = performance.now();
      if (now - (lookedFor.get(keyId) ?? -Infinity) < FIND_INTERVAL_MS) return undefined;
      lookedFor.set(keyId, now);
      try {
        loadKeyFiles(config.dataDir).forEach(add);
      } catch {
        // A damaged key file was refused at start or will be by the next refresh; here
        // it only means the key is not found, so that one token fails with seal_error.
      }
      return keys.get(keyId);
    },
  };
}

/**
 * Makes the database's current key this server's sealing key, recording the configured
 * key on first start. Refuses a database sealed with a key this server does not hold:
 * a second server with its own generated key file would otherwise fail every sign-in.
 */
export async function adoptSealingKey(core: Core): Promise<void> {
  const { db } = core.store;
  await db
    .insertInto('sealing_key')
    .values({ id: 1, key_id: core.keyring.currentId, created_at: core.clock.now() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const current = await readCurrentKeyId(core);
  if (!core.keyring.keys.has(current) && !core.keyring.find?.(current)) {
    throw new PforteError(
      'ERR_CONFIG',
      `this database is sealed with master key ${current}, but this server has ${[...core.keyring.keys.keys()].join(', ')}: give it the same PFORTE_MASTER_KEY or master.key file (or the key in PFORTE_MASTER_KEYS_PREVIOUS or master-${current}.key)`,
    );
  }
  core.keyring.currentId = current;
}

export async function readCurrentKeyId(core: Core): Promise<string> {
  const row = await core.store.db
    .selectFrom('sealing_key')
    .select('key_id')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return row.key_id;
}

/**
 * Reads the key files and the current key id again. A current key this server does
 * not hold (a rotation elsewhere, whose key has not reached this folder) leaves it
 * sealing under the key it had, and says so.
 */
export async function refreshKeyring(core: Core): Promise<void> {
  const current = await readCurrentKeyId(core);
  if (current === core.keyring.currentId) return;
  if (core.keyring.keys.has(current) || core.keyring.find?.(current)) {
    core.keyring.currentId = current;
    core.log.info({ keyId: current }, 'sealing under the new master key');
  } else {
    core.log.warn(
      { keyId: current },
      'the database is now sealed with a master key this server does not hold',
    );
  }
}

const watchers = new WeakMap<Core, NodeJS.Timeout>();

/** Refreshes the keyring every REFRESH_MS until stopWatchingKeyring; never keeps the process up. */
export function watchKeyring(core: Core): void {
  const timer = setInterval(() => {
    refreshKeyring(core).catch((error: Error) =>
      core.log.warn({ detail: error.message }, 'could not refresh the master keys'),
    );
  }, REFRESH_MS);
  timer.unref();
  watchers.set(core, timer);
}

export function stopWatchingKeyring(core: Core): void {
  clearInterval(watchers.get(core));
  watchers.delete(core);
}
