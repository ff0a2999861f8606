/**
 * HTML forms post URL-encoded bodies. `acceptForms` lets the plugin it is called in read
 * them (and only that plugin: the API stays JSON-only), small, as plain string fields.
 */
import type { FastifyInstance } from 'fastify';

export const FORM_BODY_LIMIT = 4096;

export function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
}
