/**
 * The OpenID sign-in's interaction, which is the portal's sign-in: a browser a service
 * sent here is signed in by the portal's session when it has one (single sign-on: no
 * second prompt), otherwise it gets the portal's sign-in page — the same texts, the
 * same decision, the same new session — with the service's name above the form. A
 * service that is not the organisation's own then asks for consent, once per grant.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { recordAudit } from '../../audit/record.js';
import { findLiveSession } from '../../sessions/sessions.js';
import { findUserRowById } from '../../users/users.js';
import { ACR, AMR, INTERACTION_PATH, TEMPORARY_ACR, TEMPORARY_AMR } from '../../oidc/names.js';
import { messagesFor } from '../../text/i18n.js';
import { csrfHolds, issueCsrfToken } from '../portal/csrf.js';
import type { PortalKit } from '../portal/kit.js';
import type { SignInPlace } from '../portal/pages.js';
import { takeSignInForm } from '../portal/sign-in.js';
import { pageHeaders } from '../shared/page-headers.js';
import type { CurrentProvider } from './current-provider.js';
import { formOriginsOf, renderConsentPage } from './pages.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** An interaction id as oidc-provider makes them (nanoid); anything else is not ours. */
const UID = /^[A-Za-z0-9_-]{10,64}$/;

export function oidcInteractionRoutes(kit: PortalKit, current: CurrentProvider) {
  const { core, cookies } = kit;

  /** The interaction this browser is in, or undefined (expired, unknown, another browser's). */
  const interactionOf = async (request: FastifyRequest, reply: FastifyReply) => {
    const { uid } = request.params as { uid: string };
    if (!UID.test(uid)) return undefined;
    const provider = await current.get();
    try {
      const details = await provider.interactionDetails(request.raw, reply.raw);
      if (details.uid !== uid) return undefined;
      const client = await provider.Client.find(String(details.params.client_id));
      if (!client) return undefined;
      return { provider, details, client };
    } catch {
      return undefined;
    }
  };
  type Found = NonNullable<Awaited<ReturnType<typeof interactionOf>>>;

  const placeOf = ({ details, client }: Found): SignInPlace => ({
    action: `${INTERACTION_PATH}/${details.uid}/login`,
    here: `${INTERACTION_PATH}/${details.uid}`,
    service: client.clientName ?? client.clientId,
    formOrigins: formOriginsOf(client.redirectUris ?? []),
  });

  /** Ends the interaction with `result`: the browser goes back to the provider, then the service. */
  const finish = async (reply: FastifyReply, found: Found, result: InteractionResults) => {
    // What provider.interactionResult does (mergeWithLastSubmission), on the interaction
    // already read for this request: not its cookie checked and its row read a second time.
    const { details } = found;
    details.result = 'error' in result ? result : { ...details.lastSubmission, ...result };
    await details.save(details.exp - Math.floor(Date.now() / 1000));
    return reply.redirect(details.returnTo, 303);
  };

  /** A token's passcode is `otp`; a temporary code read out by the help desk is not (RFC 8176). */
  const login = (
    accountId: string,
    serial: string | null | undefined,
    since: number,
  ): InteractionResults => ({
    login: {
      accountId,
      ...(serial ? { amr: AMR, acr: ACR } : { amr: TEMPORARY_AMR, acr: TEMPORARY_ACR }),
      ts: Math.floor(since / 1000),
      remember: true,
    },
  });

  /** A gone interaction: start again at the service (the sign-in page says so). */
  const expired = (request: FastifyRequest, reply: FastifyReply) => {
    const t = messagesFor(kit.languageOf(request, reply)).portal;
    return kit.signInPage(request, reply, 400, { message: { kind: 'alert', text: t.expired } });
  };

  const consentPage = (request: FastifyRequest, reply: FastifyReply, found: Found) => {
    const { details, client } = found;
    const prompt = details.prompt.details as { missingOIDCScope?: string[] };
    const lang = kit.languageOf(request, reply);
    return pageHeaders(core.config, { formOrigins: formOriginsOf(client.redirectUris ?? []) })(
      reply,
    )
      .code(200)
      .send(
        renderConsentPage({
          lang,
          organisation: kit.brand.name,
          logoUrl: kit.brand.logoUrl,
          csrfToken: issueCsrfToken(request, reply, cookies),
          action: `${INTERACTION_PATH}/${details.uid}/consent`,
          service: client.clientName ?? client.clientId,
          scopes: prompt.missingOIDCScope ?? ['openid'],
        }),
      );
  };

  return (app: FastifyInstance) => {
    const hide = { schema: { hide: true } };

    app.get(`${INTERACTION_PATH}/:uid`, hide, async (request, reply) => {
      const found = await interactionOf(request, reply);
      if (!found) return expired(request, reply);
      if (found.details.prompt.name === 'login') {
        const session = await findLiveSession(core, request.cookies[cookies.session]);
        if (session && singleSignOnDoes(found.details)) {
          const { user, row } = session;
          return finish(reply, found, login(user.id, row.token_serial, row.created_at));
        }
        return kit.signInPage(request, reply, 200, { place: placeOf(found) });
      }
      if (found.details.prompt.name === 'consent') return consentPage(request, reply, found);
      return expired(request, reply);
    });

    app.post(
      `${INTERACTION_PATH}/:uid/login`,
      {
        ...hide,
        config: { rateLimit: { max: core.config.rateLimit.perMinute, timeWindow: 60_000 } },
      },
      async (request, reply) => {
        const found = await interactionOf(request, reply);
        if (!found || found.details.prompt.name !== 'login') return expired(request, reply);
        return takeSignInForm(
          kit,
          request,
          reply,
          (_returnTo, { userId, serial }) =>
            finish(reply, found, login(userId, serial, core.clock.now())),
          placeOf(found),
        );
      },
    );

    app.post(`${INTERACTION_PATH}/:uid/consent`, hide, async (request, reply) => {
      const found = await interactionOf(request, reply);
      if (!found || found.details.prompt.name !== 'consent') return expired(request, reply);
      const form = (request.body ?? {}) as { _csrf?: unknown; decision?: unknown };
      if (typeof form._csrf !== 'string' || !csrfHolds(request, cookies, form._csrf)) {
        return consentPage(request, reply, found);
      }
      const { details, client, provider } = found;
      const allowed = form.decision === 'allow';
      core.metrics.countOidcEvent(
        'oidc.consent',
        allowed ? 'success' : 'failure',
        allowed ? '' : 'access_denied',
      );
      await recordAudit(
        core,
        { face: 'oidc', actor: client.clientId, address: request.ip },
        {
          action: 'oidc.consent',
          outcome: allowed ? 'success' : 'failure',
          ...(allowed ? {} : { reason: 'access_denied' }),
          username: await usernameOf(kit, details),
          detail: { client: client.clientId },
        },
      );
      if (!allowed) {
        return finish(reply, found, {
          error: 'access_denied',
          error_description: 'the user did not allow access',
        });
      }
      return finish(reply, found, {
        consent: { grantId: await grantFor(provider, details) },
      });
    });
  };
}

/**
 * Whether the portal's session may answer for the user: not when the service asked for a
 * fresh sign-in (prompt=login, or max_age passed).
 */
function singleSignOnDoes(details: Interaction): boolean {
  const reasons = details.prompt.reasons;
  return !reasons.includes('login_prompt') && !reasons.includes('max_age');
}

/** The grant the user allowed: the one before with what is missing added, or a new one. */
async function grantFor(provider: Provider, details: Interaction) {
  const accountId = details.session!.accountId;
  const clientId = String(details.params.client_id);
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function usernameOf(kit: PortalKit, details: Interaction): Promise<string> {
  const id = details.session?.accountId;
  return (id && (await findUserRowById(kit.core, id))?.username) || '';
}
