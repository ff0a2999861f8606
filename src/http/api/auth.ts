/** API keys on the REST face: `Authorization: Bearer <key>`, with a scope per route. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiKey, type ApiKey, type ApiScope } from '../../apikeys/keys.js';
import type { Caller, Core } from '../../context.js';
import { PforteError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

export function requireScope(core: Core, scope: ApiScope) {
  return async function checkApiKey(request: FastifyRequest, _reply: FastifyReply) {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,200})$/.exec(header);
    const key = match ? await authenticateApiKey(core, match[1]!) : undefined;
    if (!key) throw new PforteError('ERR_UNAUTHENTICATED', 'a valid API key is required');
    if (scope === 'admin' && key.scope !== 'admin') {
      throw new PforteError('ERR_FORBIDDEN', 'this API key may not do that');
    }
    request.apiKey = key;
  };
}

export function callerOf(request: FastifyRequest): Caller {
  return { face: 'api', actor: `apikey:${request.apiKey?.name ?? '-'}`, address: request.ip };
}
