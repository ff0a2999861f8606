/** `GET /api/v1/audit`: the audit log, newest first. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listAudit } from '../../audit/record.js';
import type { Core } from '../../context.js';
import { invalid } from '../../errors.js';
import { requireScope } from './auth.js';
import { pageOf, pageRequestOf } from './paging.js';
import { answers, AuditEvent, AuditQuery, KEYED } from './schemas.js';

export function auditRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        preHandler: requireScope(core, 'admin'),
        schema: {
          operationId: 'listAuditEvents',
          tags: ['audit'],
          summary: 'Read the audit log, newest first',
          querystring: AuditQuery,
          response: answers({ 200: pageOf(AuditEvent, 'The events, newest first') }, KEYED),
        },
      },
      async (request) => {
        const { username, since, before } = request.query;
        const sinceMs = since === undefined ? undefined : Date.parse(since);
        if (sinceMs !== undefined && !Number.isFinite(sinceMs)) {
          throw invalid('since must be a time such as 2026-11-29T08:00:00Z');
        }
        return listAudit(core, {
          ...(username ? { username: username.toLowerCase() } : {}),
          ...(sinceMs !== undefined ? { since: sinceMs } : {}),
          ...(before ? { before: Number(before) } : {}),
          ...pageRequestOf(request.query),
        });
      },
    );
  };
}
