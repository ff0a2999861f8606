/**
 * Where oidc-provider's rows are found (by SHA-256, so a dump holds no usable token), and
 * what revoking a grant removes: every token of it and the Grant itself. The Grant must
 * go too: a token saved after the revocation (the winner of a double redemption) finds
 * no grant and is refused, at userinfo and refresh alike. The adapter (a code used
 * twice) and single sign-out (Abmelden) revoke through this one function. No import of
 * oidc-provider here: sign-out and the jobs load this without the library.
 */
import { createHash } from 'node:crypto';
import type { Core } from '../context.js';

/** The row key of a stored model: SHA-256 of its kind and id. */
export function payloadHash(kind: string, id: string): string {
  return createHash('sha256').update(`${kind}|${id}`).digest('base64url');
}

export async function revokeGrant(core: Core, grantId: string): Promise<void> {
  await core.store.db
    .deleteFrom('oidc_payloads')
    .where((eb) =>
      eb.or([eb('grant_id', '=', grantId), eb('id_hash', '=', payloadHash('Grant', grantId))]),
    )
    .execute();
}
