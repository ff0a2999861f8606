/** A token being named and activated: kept across renderings of the activation screen. */
import type { StartedActivation } from '../../src/authenticator/activate.js';
import type { StoredToken } from '../../src/authenticator/keychain.js';

export interface Draft {
  code: string;
  name?: string;
  /** Begun and held, but not confirmed yet (the connection was lost). */
  pending?: { started: StartedActivation; held: StoredToken };
}
