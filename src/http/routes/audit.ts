/** `GET /api/v1/audit`: the audit log, newest first. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listAudit } from '../../audit/record.js';
import type { Core } from '../../core.js';
import { requireScope } from '../auth.js';
import { AuditEvent, AuditQuery, withErrors } from '../schemas.js';

export function auditRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        preHandler: requireScope(core, 'admin'),
        schema: {
          tags: ['audit'],
          summary: 'Read the audit log, newest first',
          querystring: AuditQuery,
          response: withErrors({ 200: Type.Array(AuditEvent) }),
        },
      },
      async (request) => {
        const { username, since, limit, before } = request.query;
        return listAudit(core, {
          ...(username ? { username: username.toLowerCase() } : {}),
          ...(since ? { since: Date.parse(since) } : {}),
          ...(limit ? { limit: Number(limit) } : {}),
          ...(before ? { before: Number(before) } : {}),
        });
      },
    );
  };
}
