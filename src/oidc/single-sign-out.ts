/**
 * Signing out of the portal (Abmelden) signs out of single sign-on as well: the
 * provider's session for this browser ends, the services it signed in to get a
 * back-channel logout where they registered for one (OpenID Connect Back-Channel
 * Logout 1.0), and their grants are revoked, as oidc-provider does when a service asks
 * for the logout. A service that does not answer is logged; the sign-out goes on.
 */
import type Provider from 'oidc-provider';
import type { Core } from '../context.js';
import { revokeGrant } from './grants.js';
import { OIDC_SESSION_COOKIE } from './names.js';

export async function endSingleSignOn(
  core: Core,
  providerNow: () => Promise<Provider>,
  cookies: Record<string, string | undefined>,
): Promise<void> {
  const id = cookies[OIDC_SESSION_COOKIE];
  // A browser that never signed in to a service: nothing to end (and no keys to make).
  if (!id || id.length > 100) return;
  const provider = await providerNow();
  const session = await provider.Session.find(id);
  if (!session) return;
  const accountId = session.accountId;
  const signedInTo = Object.entries(session.authorizations ?? {});
  await Promise.all(
    signedInTo.map(async ([clientId, { grantId }]) => {
      // backchannelLogout is the library's own (the types leave it out).
      const client = (await provider.Client.find(clientId)) as
        | (InstanceType<Provider['Client']> & {
            backchannelLogout(sub: string, sid: string): Promise<void>;
          })
        | undefined;
      if (client?.backchannelLogoutUri && accountId) {
        await client
          .backchannelLogout(accountId, session.sidFor(clientId)!)
          .catch((error: Error) =>
            core.log.warn(
              { client: clientId, detail: error.message },
              'back-channel logout not delivered',
            ),
          );
      }
      if (grantId) await revokeGrant(core, grantId);
    }),
  );
  await session.destroy();
}
