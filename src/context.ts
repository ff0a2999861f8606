/**
 * The core's context, as types only: everything a core function needs is passed in
 * (store, clock, randomness, keys, configuration, mail, directories) rather than
 * reached for, so that tests can give it a fake clock and faces stay thin. `core.ts`
 * assembles it; everything else imports only these types.
 */
import type { Clock, Random } from './clock.js';
import type { Config } from './config/schema.js';
import type { Keyring } from './crypto/seal.js';
import type { Directory } from './directory/directory.js';
import type { Logger } from './log.js';
import type { Mailer } from './mail/mailer.js';
import type { Metrics } from './metrics/metrics.js';
import type { Store } from './store/open.js';

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
  /** What this core counts for Prometheus (src/metrics/). */
  metrics: Metrics;
}

/** Who asks: the face the request came through, the acting principal and the client address. */
export interface Caller {
  face: 'api' | 'cli' | 'portal' | 'console' | 'web' | 'radius' | 'oidc' | 'system';
  /** An API key's name, an OS user for the CLI, or a username. */
  actor: string;
  address: string;
}
