/**
 * Who a subject is, for ID tokens and userinfo: `sub` is Pforte's user id (a UUID that
 * never changes, unlike a username that HR may correct), with the user's name, address
 * and, for directory users, their groups. A user who is gone or disabled has no account,
 * so their refresh tokens and userinfo stop working at once.
 */
import type { Account, AccountClaims, FindAccount } from 'oidc-provider';
import type { Core } from '../context.js';
import { findUserRowById } from '../users/users.js';

/**
 * The claims each scope gives (OpenID Connect Core 5.4; `groups` is a common extension).
 * `acr` and `amr` come with `openid`: every ID token says how the user signed in.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['preferred_username', 'name'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
} as const;

/** An account as the audit record names it. */
export interface PforteAccount extends Account {
  username: string;
}

const UUID = /^[0-9a-f-]{36}$/;

export function accountFinder(core: Core): FindAccount {
  return async (_ctx, id) => {
    if (!UUID.test(id)) return undefined;
    const user = await findUserRowById(core, id);
    if (!user || user.disabled) return undefined;
    const account: PforteAccount = {
      accountId: user.id,
      username: user.username,
      claims: async (_use, scope): Promise<AccountClaims> => ({
        sub: user.id,
        preferred_username: user.username,
        name: user.display_name || user.username,
        // The organisation registered the address and its set-up link went there.
        ...(user.email ? { email: user.email, email_verified: true } : {}),
        ...(scope.split(' ').includes('groups') ? await groupsClaim(core, user) : {}),
      }),
    };
    return account;
  };
}

/**
 * The user's directory groups. A directory that does not answer leaves the claim out
 * (rather than an empty list, which a service could read as "in no group").
 */
async function groupsClaim(
  core: Core,
  user: { username: string; directory: string | null },
): Promise<{ groups?: string[] }> {
  const directory = core.directories.find((d) => d.name === user.directory);
  if (!directory) return { groups: [] };
  try {
    return { groups: await directory.groupNames(user.username) };
  } catch (error) {
    core.log.warn(
      { directory: directory.name, detail: (error as Error).message },
      'groups claim left out: the directory did not answer',
    );
    return {};
  }
}
