/**
 * Whether a directory user is in a group: what console roles from a directory's groups
 * (roles.ts) ask. A directory says how to ask it (`groupMembership`):
 *
 * - `member`, the default: each configured group is read with a base-scope search whose
 *   filter is `(|(member=<user DN>)(uniqueMember=<user DN>))`, which answers the group
 *   only when the user is in it. The directory compares the DNs itself
 *   (distinguishedNameMatch), and it works on every directory as it comes: OpenLDAP's
 *   groupOfNames and groupOfUniqueNames without the memberof overlay, Active Directory,
 *   389 DS. It is the default of the products administrators know (Keycloak's LDAP
 *   group mapper, Authelia's group search, SSSD with rfc2307bis). Asking the configured
 *   groups by their DN, rather than searching a subtree for every group of the user,
 *   needs no group base DN and reads nothing more than the answer: one small request
 *   per group, and usually there are one or two.
 * - `memberOf`: the user entry's `memberOf` attribute (its name is configurable:
 *   `isMemberOf` on 389 DS), read with the entry the sign-in finds anyway, so it costs no
 *   request at all. Active Directory always keeps it; OpenLDAP only with the memberof
 *   overlay (or dynlist since 2.5), and not for entries made before that was switched
 *   on: a group that silently gives nobody a role. So it is a choice, not the default.
 * - `member-in-chain`: Active Directory's LDAP_MATCHING_RULE_IN_CHAIN
 *   (1.2.840.113556.1.4.1941) in the same base-scope search, so that a member of a group
 *   that is itself in the admin group counts (nested groups). Active Directory only.
 *
 * A configured group that does not exist has no members: no role, and no failed sign-in.
 */
import { Filter, NoSuchObjectError, type Client } from 'ldapts';

export type GroupMembership = 'member' | 'memberOf' | 'member-in-chain';

/** Active Directory's LDAP_MATCHING_RULE_IN_CHAIN: membership through nested groups too. */
export const IN_CHAIN = '1.2.840.113556.1.4.1941';

/** The filter a group entry matches when `userDn` is its member. */
export function memberFilter(how: Exclude<GroupMembership, 'memberOf'>, userDn: string): string {
  const dn = Filter.escape(userDn);
  return how === 'member-in-chain'
    ? `(member:${IN_CHAIN}:=${dn})`
    : `(|(member=${dn})(uniqueMember=${dn}))`;
}

/** Whether the group `groupDn` answers `filter` (the user is its member). */
export async function groupMatches(
  client: Client,
  groupDn: string,
  filter: string,
): Promise<boolean> {
  try {
    const { searchEntries } = await client.search(groupDn, {
      scope: 'base',
      filter,
      // No attributes: only whether the group answers (RFC 4511 section 4.5.1.8).
      attributes: ['1.1'],
    });
    return searchEntries.length > 0;
  } catch (error) {
    if (error instanceof NoSuchObjectError) return false;
    throw error;
  }
}

/** Whether any of the user's `memberOf` values names one of `groups`. */
export function listsGroup(memberOf: readonly string[], groups: readonly string[]): boolean {
  const wanted = new Set(groups.map(normalizeDn));
  return memberOf.some((dn) => wanted.has(normalizeDn(dn)));
}

/**
 * A DN in one spelling, for comparing the text of `memberOf` with the configured DNs:
 * attribute names and values in lower case (the naming attributes of groups, cn, ou and
 * dc, match case-insensitively), no spaces around `=`, `,` and `+` (RFC 4514 section 3).
 */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) =>
      rdn
        .split(/(?<!\\)\+/)
        .map((ava) => {
          const at = ava.indexOf('=');
          return `${ava.slice(0, at).trim()}=${ava.slice(at + 1).trim()}`;
        })
        .join('+'),
    )
    .join(',')
    .toLowerCase();
}
