/**
 * `GET /assets/<name>`: the stylesheet, script, icon and screenshots of the
 * server-rendered pages, from the repository's `assets/` folder (read once, at
 * registration); and `GET /favicon.ico`, where browsers look for a site's icon
 * whatever the page says: the same SVG icon (every browser that shows SVG icons
 * takes it by its content type, whatever the name).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config/schema.js';
import { brandStylesheet } from '../../text/brand-colour.js';
import { readStaticFiles, sendStaticFile, staticFile } from './files.js';

// Three levels below the repository root both as src/http/static/assets.ts and as
// dist/http/static/assets.js.
const ASSETS_DIR = new URL('../../../assets/', import.meta.url);

/**
 * Serves the files of `assets/` at `/assets/<name>`, and `brand.css` made from the
 * organisation's colour; register without a prefix.
 */
export function assetRoutes(config: Readonly<Config>): FastifyPluginAsync {
  return async (app) => {
    const assets = readStaticFiles(ASSETS_DIR);
    assets.set(
      'brand.css',
      staticFile(
        Buffer.from(brandStylesheet(config.organisation.colour), 'utf8'),
        'text/css; charset=utf-8',
      ),
    );
    app.get<{ Params: { name: string } }>(
      '/assets/:name',
      { schema: { hide: true } },
      async (request, reply) => {
        const asset = assets.get(request.params.name);
        if (!asset) return reply.callNotFound();
        return sendStaticFile(request, reply, asset, 'public, max-age=3600');
      },
    );
    const icon = assets.get('favicon.svg');
    if (!icon) throw new Error('assets/favicon.svg is missing');
    app.get('/favicon.ico', { schema: { hide: true } }, async (request, reply) =>
      sendStaticFile(request, reply, icon, 'public, max-age=86400'),
    );
  };
}
