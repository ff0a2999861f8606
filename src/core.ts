/**
 * The core's context: everything a core function needs, passed in rather than
 * reached for, so that tests can give it a fake clock and faces stay thin.
 */
import { systemClock, systemRandom, type Clock, type Random } from './clock.js';
import type { Config } from './config/schema.js';
import { loadMasterKey } from './crypto/master-key.js';
import { createKeyring, type Keyring } from './crypto/seal.js';
import { openStore, type Store } from './store/open.js';

export interface Core {
  config: Readonly<Config>;
  store: Store;
  clock: Clock;
  random: Random;
  keyring: Keyring;
}

/** Who asks: the face the request came through, the acting principal and the client address. */
export interface Caller {
  face: 'api' | 'cli' | 'portal' | 'radius' | 'system';
  /** An API key's name, an OS user for the CLI, or a username. */
  actor: string;
  address: string;
}

export async function openCore(
  config: Readonly<Config>,
  options: { clock?: Clock; random?: Random } = {},
): Promise<Core> {
  const random = options.random ?? systemRandom;
  const key = loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir, random });
  const store = await openStore({
    url: config.database.url,
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
  });
  return {
    config,
    store,
    clock: options.clock ?? systemClock,
    random,
    keyring: createKeyring(key),
  };
}
