/**
 * The admin and help-desk console under `/admin/`: server-rendered pages on the same
 * core functions as the CLI and REST. Operators sign in through the portal (username,
 * token code, password); each page asks the kit for an operator allowed to see it
 * (kit.ts); each form carries a CSRF token; every action is audited by the core with
 * face `console` and the operator as actor. One file per section, all sharing the kit.
 */
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../context.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { acceptForms } from '../shared/forms.js';
import { logFailure, sendError, toPforteError } from '../shared/errors.js';
import { makePortalKit } from '../portal/kit.js';
import { makeConsoleKit, operatorOf } from './kit.js';
import { overviewRoutes } from './overview.js';
import { userRoutes } from './users.js';
import { auditRoutes } from './audit.js';
import { apiKeyRoutes } from './apikeys.js';
import { oidcClientRoutes } from './oidc-clients.js';
import { mailRoutes } from './mail.js';
import { settingsRoutes } from './settings.js';
import { enrollmentRoutes } from './enrollments.js';
import { enrollmentRemindRoutes } from './enrollment-remind.js';
import { bulkRoutes } from './bulk.js';
import { bulkRunRoutes } from './bulk-run.js';
import { bulkUploadRoutes } from './bulk-upload.js';

/** Registered with the prefix `/admin`. */
export function consoleRoutes(core: Core): FastifyPluginAsync {
  const kit = makeConsoleKit(core, makePortalKit(core));
  return async (app) => {
    await app.register(cookie);
    acceptForms(app);

    // A refused action (bad input, a state that does not allow it, a database that does
    // not answer) is a page saying so, with nothing changed; only a fault of the server
    // is the envelope's 500, without detail.
    app.setErrorHandler((raw, request, reply) => {
      const error = toPforteError(raw);
      logFailure(request, raw, error);
      const outage = error.code === 'ERR_DATABASE_UNAVAILABLE';
      if (error.status >= 500 && !outage) return sendError(reply, error);
      const t = chromeTexts[operatorOf(request)?.lang ?? kit.portal.languageOf(request, reply)];
      if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
      const message = outage
        ? t.unavailable
        : error.status === 429
          ? t.tryLater(error.retryAfter ?? 60)
          : error.status === 404
            ? `${t.notFound} (${error.message})`
            : error.message;
      return kit.refusal(request, reply, error.status, { title: t.errorTitle, message });
    });
    // Only operators learn which console addresses exist.
    app.setNotFoundHandler(async (request, reply) => {
      const operator = await kit.operator(request, reply, 'users.read');
      if (!operator) return reply;
      const t = chromeTexts[operator.lang];
      return kit.refusal(request, reply, 404, { title: t.notFoundTitle, message: t.notFound });
    });

    overviewRoutes(kit)(app);
    userRoutes(kit)(app);
    auditRoutes(kit)(app);
    apiKeyRoutes(kit)(app);
    oidcClientRoutes(kit)(app);
    mailRoutes(kit)(app);
    settingsRoutes(kit)(app);
    enrollmentRoutes(kit)(app);
    enrollmentRemindRoutes(kit)(app);
    bulkRoutes(kit)(app);
    bulkRunRoutes(kit)(app);
    // Its own scope: multipart is read by the CSV upload and nowhere else.
    await app.register(bulkUploadRoutes(kit));
  };
}
