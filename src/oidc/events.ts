/**
 * What the provider's answers mean for the rest of Pforte, decided once each answer is
 * made (a Koa middleware around oidc-provider's routes):
 * - the audit log and the metrics: every authorization (code given or refused), token issue or refusal,
 *   revocation, userinfo or introspection refusal and logout, face `oidc`, actor the
 *   client, with the standard's error code as the reason;
 * - signing out everywhere at a service (RP-initiated logout) ends the portal session too,
 *   when it is the same user's;
 * - a database that does not answer is 503 `temporarily_unavailable`, not 500.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { recordAudit, type AuditEntry } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { endSession, findSession } from '../sessions/sessions.js';
import { OIDC_ROUTES, OIDC_SESSION_COOKIE } from './names.js';
import type { PforteAccount } from './accounts.js';

/** The client address as the HTTP face worked it out (trusted proxies), set on the raw request. */
export const CLIENT_ADDRESS = Symbol('pforte.clientAddress');

/** Routes whose successes are not worth a record (read-only, or the interaction's steps). */
const AUDITED: Record<string, { action: string; successes: boolean }> = {
  authorization: { action: 'oidc.authorize', successes: true },
  resume: { action: 'oidc.authorize', successes: true },
  token: { action: 'oidc.token', successes: true },
  revocation: { action: 'oidc.revoke', successes: true },
  end_session_confirm: { action: 'oidc.logout', successes: true },
  userinfo: { action: 'oidc.userinfo', successes: false },
  introspection: { action: 'oidc.introspect', successes: false },
};

export function recordOidcEvents(core: Core, provider: Provider, portalSessionCookie: string) {
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => {
    const outage = error instanceof PforteError && error.code === 'ERR_DATABASE_UNAVAILABLE';
    ctx.state.pforteOutage = outage;
    if (!outage) core.log.error({ err: error, route: ctx.oidc?.route }, 'OpenID request failed');
  });

  /**
   * Whose single sign-on a logout confirmation ends, read before the provider destroys
   * it: the portal session ends with it only if it is the same user's. (When another user
   * signs in in the same browser, the provider ends the previous user's session through
   * this same confirmation; the new portal session must stay.)
   */
  const accountOfEndingSession = async (ctx: KoaContextWithOIDC) => {
    if (ctx.method !== 'POST' || ctx.path !== `${OIDC_ROUTES.end_session}/confirm`)
      return undefined;
    const id = ctx.cookies.get(OIDC_SESSION_COOKIE);
    if (!id || id.length > 100) return undefined;
    return (await provider.Session.find(id))?.accountId;
  };
  const endPortalSessionOf = async (ctx: KoaContextWithOIDC, accountId: string) => {
    const token = ctx.cookies.get(portalSessionCookie);
    const portal = await findSession(core, token);
    if (portal?.user.id !== accountId) return;
    await endSession(core, token);
    ctx.cookies.set(portalSessionCookie, null, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secure,
    });
  };

  provider.on('backchannel.error', (_ctx: unknown, error: Error, client: { clientId: string }) =>
    core.log.warn(
      { client: client.clientId, detail: error.message },
      'back-channel logout not delivered',
    ),
  );

  provider.use(async (ctx, next) => {
    const endingAccount = await accountOfEndingSession(ctx as KoaContextWithOIDC);
    await next();
    const oidcCtx = ctx as KoaContextWithOIDC;
    const route = oidcCtx.oidc?.route;
    if (ctx.state.pforteOutage && ctx.status === 500) {
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      if (ctx.body && typeof ctx.body === 'object') {
        ctx.body = { error: 'temporarily_unavailable', error_description: 'try again shortly' };
      }
      return;
    }
    const audited = route ? AUDITED[route] : undefined;
    if (!audited) return;
    const outcome = outcomeOf(ctx as KoaContextWithOIDC);
    if (!outcome || (outcome.outcome === 'success' && !audited.successes)) return;
    if (route === 'end_session_confirm' && oidcCtx.oidc.params?.logout && endingAccount) {
      await endPortalSessionOf(oidcCtx, endingAccount);
    }
    const account = oidcCtx.oidc.entities.Account as PforteAccount | undefined;
    const clientId = oidcCtx.oidc.client?.clientId ?? '';
    const caller: Caller = {
      face: 'oidc',
      actor: clientId || 'oidc',
      address: (ctx.req as { [CLIENT_ADDRESS]?: string })[CLIENT_ADDRESS] ?? ctx.ip,
    };
    const grantType = oidcCtx.oidc.params?.grant_type;
    const entry: AuditEntry = {
      action: audited.action,
      ...outcome,
      ...(account?.username ? { username: account.username } : {}),
      detail: {
        client: clientId,
        ...(typeof grantType === 'string' ? { grant_type: grantType } : {}),
      },
    };
    core.metrics.countOidcEvent(entry.action, entry.outcome, entry.reason ?? '');
    try {
      await recordAudit(core, caller, entry);
    } catch (error) {
      core.log.error({ err: error, action: entry.action }, 'OpenID event not recorded');
    }
  });
}

/** Success, or failure with the standard's error code; undefined for an answer that is neither yet (the interaction). */
function outcomeOf(ctx: KoaContextWithOIDC): Pick<AuditEntry, 'outcome' | 'reason'> | undefined {
  const body = ctx.body as { error?: unknown } | undefined;
  if (ctx.status >= 400) {
    const error =
      body && typeof body === 'object' && typeof body.error === 'string' ? body.error : '';
    return {
      outcome: 'failure',
      reason: error || (ctx.state.pforteErrorCode as string) || `http_${ctx.status}`,
    };
  }
  if (ctx.status >= 300 && ctx.status < 400) {
    const location = ctx.response.get('Location');
    if (!location) return undefined;
    let url: URL;
    try {
      url = new URL(location, 'http://relative.invalid');
    } catch {
      return undefined;
    }
    // A redirect to the interaction is a step, not an outcome.
    const params = new URLSearchParams(url.search || url.hash.slice(1));
    const error = params.get('error');
    if (error) return { outcome: 'failure', reason: error };
    if (ctx.oidc.route === 'authorization' || ctx.oidc.route === 'resume') {
      return params.has('code') ? { outcome: 'success' } : undefined;
    }
    return { outcome: 'success' };
  }
  return { outcome: 'success' };
}
