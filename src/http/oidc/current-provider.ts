/**
 * The provider this process answers with, made on the first OpenID request (signing keys
 * made then if the database has none) and made anew when the signing keys change: a
 * `pforte oidc keys rotate` in another process, or a retired key's grace ending. Its
 * state is all in the database, so a new provider continues every sign-in in progress.
 */
import type Provider from 'oidc-provider';
import type { Core } from '../../context.js';
import type { OidcPages } from '../../oidc/provider.js';
import { configuredClients } from '../../oidc/clients.js';
import { recordOidcEvents } from '../../oidc/events.js';
import { ensureSigningKeys, loadSigningJwks, signingKeysVersion } from '../../oidc/signing-keys.js';
import { portalCookies } from '../portal/cookies.js';

/** How often a process looks whether the signing keys changed (as the keyring: key-ring.ts). */
const CHECK_EVERY_MS = 10_000;

export interface CurrentProvider {
  get(): Promise<Provider>;
}

export function currentProvider(core: Core, pages: OidcPages): CurrentProvider {
  // Read now, at start: a secret file that cannot be read stops the start, naming it.
  const clients = configuredClients(core.config);
  let made: { provider: Provider; version: string; checkedAt: number } | undefined;
  let making: Promise<Provider> | undefined;

  const make = async (): Promise<Provider> => {
    if (!made) await ensureSigningKeys(core);
    const version = await signingKeysVersion(core);
    if (made && made.version === version) {
      made.checkedAt = core.clock.now();
      return made.provider;
    }
    // Loaded on the first OpenID request: a server no service signs in with never loads it.
    const { createProvider } = await loadQuietly(core);
    const provider = createProvider({
      core,
      jwks: await loadSigningJwks(core),
      clients,
      portalSessionCookie: portalCookies(core.config).session,
      pages,
    });
    recordOidcEvents(core, provider, portalCookies(core.config).session);
    made = { provider, version, checkedAt: core.clock.now() };
    return provider;
  };

  return {
    async get() {
      if (made && core.clock.now() - made.checkedAt < CHECK_EVERY_MS) return made.provider;
      // One look at a time; requests meanwhile wait for it (or use the provider they have).
      making ??= make().finally(() => {
        making = undefined;
      });
      if (made) {
        making.catch(() => undefined);
        return made.provider;
      }
      return making;
    },
  };
}

/**
 * Loads the provider module. oidc-provider writes notices at load with console.warn
 * (on Node 20: "Unsupported runtime"); the server's output is JSON lines (pino), so
 * while it loads they go to the log as warnings instead.
 */
async function loadQuietly(core: Core): Promise<typeof import('../../oidc/provider.js')> {
  const { warn, info } = console;
  const toLog = (...parts: unknown[]) =>
    core.log.warn({ library: 'oidc-provider' }, parts.map(String).join(' '));
  console.warn = toLog;
  console.info = toLog;
  try {
    return await import('../../oidc/provider.js');
  } finally {
    console.warn = warn;
    console.info = info;
  }
}
