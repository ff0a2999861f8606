/** The OpenID Provider's expired codes, tokens, sessions and interactions go (the jobs' sweep: src/run/jobs.ts). */
import type { Core } from '../context.js';

/** Deletes what has expired (the server's sweep calls it); returns how many rows went. */
export async function sweepOidcPayloads(core: Core): Promise<number> {
  const result = await core.store.db
    .deleteFrom('oidc_payloads')
    .where('expires_at', '<=', core.clock.now())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
