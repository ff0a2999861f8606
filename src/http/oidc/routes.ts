/**
 * The OpenID Provider in the HTTP face: discovery at `/.well-known/openid-configuration`
 * and the endpoints under `/oidc/` are handed to oidc-provider as they came (its own
 * body parsing, its own answers); the interaction pages (`/oidc/interaction/…`) are the
 * portal's and live in its scope (interaction.ts).
 *
 * The provider is told it is at `PFORTE_PUBLIC_URL` whatever address the request came
 * to: the forwarded protocol and host it reads are set here from the public URL, so
 * every URL it writes (discovery, redirects, secure cookies) is the public one and a
 * request cannot make it write another.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Core } from '../../context.js';
import { CLIENT_ADDRESS } from '../../oidc/events.js';
import { transportSecurity } from '../shared/page-headers.js';
import type { CurrentProvider } from './current-provider.js';

export function oidcProviderRoutes(core: Core, provider: CurrentProvider): FastifyPluginAsync {
  const publicUrl = new URL(core.config.publicUrl);
  const hsts = transportSecurity(core.config);
  return async (app) => {
    // The provider reads the body itself (form or JSON, within its own limit).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));

    // Koa composes the provider's middleware anew at each callback(): once per provider.
    const callbacks = new WeakMap<Provider, ReturnType<Provider['callback']>>();
    const handOver = async (request: FastifyRequest, reply: FastifyReply) => {
      const current = await provider.get();
      let answer = callbacks.get(current);
      if (!answer) callbacks.set(current, (answer = current.callback()));
      const raw = request.raw;
      raw.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
      raw.headers['x-forwarded-host'] = publicUrl.host;
      delete raw.headers['x-forwarded-port'];
      (raw as { [CLIENT_ADDRESS]?: string })[CLIENT_ADDRESS] = request.ip;
      reply.raw.setHeader('X-Content-Type-Options', 'nosniff');
      if (hsts) reply.raw.setHeader('Strict-Transport-Security', hsts);
      reply.hijack();
      await new Promise<void>((resolve) => {
        reply.raw.once('close', resolve);
        void answer(raw, reply.raw);
      });
    };
    const hide = { schema: { hide: true } };
    app.get('/.well-known/openid-configuration', hide, handOver);
    app.all('/oidc/*', hide, handOver);
  };
}
