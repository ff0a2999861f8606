/** `GET /help/android|iphone|enrollment|problems`: the help pages, in the browser's language (or `?lang=`). */
import type { FastifyPluginAsync } from 'fastify';
import { brandOf } from '../../config/brand.js';
import type { Core } from '../../context.js';
import { chooseLanguage } from '../../text/i18n.js';
import { renderHelpPage, type HelpTopic } from './pages.js';
import { pageHeaders } from '../shared/page-headers.js';

const TOPICS: HelpTopic[] = ['android', 'iphone', 'enrollment', 'problems'];

export function helpRoutes(core: Core): FastifyPluginAsync {
  const headers = pageHeaders(core.config);
  return async (app) => {
    for (const topic of TOPICS) {
      app.get<{ Querystring: { lang?: string } }>(
        `/help/${topic}`,
        {
          schema: {
            hide: true,
            querystring: {
              type: 'object',
              properties: { lang: { type: 'string', maxLength: 10 } },
            },
          },
        },
        async (request, reply) => {
          const lang = chooseLanguage(request.headers['accept-language'], request.query.lang);
          const page = renderHelpPage({ lang, organisation: brandOf(core.config).name, topic });
          return headers(reply).send(page);
        },
      );
    }
  };
}
