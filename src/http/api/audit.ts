/** `GET /api/v1/audit`: the audit log, newest first, narrowed by the query's filters. */
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
          description:
            'Each filter narrows the list: user, action, outcome, face, client address and a time range (`since` inclusive, `until` exclusive).',
          querystring: AuditQuery,
          response: answers({ 200: pageOf(AuditEvent, 'The events, newest first') }, KEYED),
        },
      },
      async (request) => {
        const { username, action, outcome, face, address, since, until, before } = request.query;
        const sinceMs = readTime('since', since);
        const untilMs = readTime('until', until);
        return listAudit(core, {
          ...(username ? { username: username.toLowerCase() } : {}),
          ...(action ? { action } : {}),
          ...(outcome ? { outcome } : {}),
          ...(face ? { face } : {}),
          ...(address ? { address } : {}),
          ...(sinceMs !== undefined ? { since: sinceMs } : {}),
          ...(untilMs !== undefined ? { until: untilMs } : {}),
          ...(before ? { before: Number(before) } : {}),
          ...pageRequestOf(request.query),
        });
      },
    );
  };
}

/** A time from the query in milliseconds; the schema checked its shape, this its calendar. */
function readTime(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw invalid(`${name} must be a time such as 2026-11-29T08:00:00Z`);
  return ms;
}
