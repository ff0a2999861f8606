/**
 * `/app/`: the authenticator, the Progressive Web App that `npm run build` writes to
 * `dist/app/` (DESIGN.md section 5). Its files are read once at registration; the page
 * and the manifest get the organisation's brand (app-brand.ts), and the page a strict
 * Content-Security-Policy: only this server's own scripts, styles, images and API, no
 * inline script, no framing.
 *
 * Caching follows what each file is: the file names under `assets/` carry a hash of
 * their content and never change; the page, the manifest and the service worker are
 * checked on every load, so a new version is found at once.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { brandOf, type Brand } from '../../config/brand.js';
import type { Core } from '../../context.js';
import { permissionsPolicy } from '../shared/page-headers.js';
import { brandAppPage, brandManifest } from './app-brand.js';
import { readStaticFiles, sendStaticFile, staticFile, type StaticFile } from './files.js';

// Three levels below the repository root both as src/http/static/ and dist/http/static/.
const APP_DIR = new URL('../../../dist/app/', import.meta.url);

export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "media-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function setAppHeaders(reply: FastifyReply): FastifyReply {
  // The camera reads the enrollment page's QR code; every other feature stays off.
  return reply
    .header('Content-Security-Policy', APP_CONTENT_SECURITY_POLICY)
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Frame-Options', 'DENY')
    .header('Cross-Origin-Opener-Policy', 'same-origin')
    .header('Permissions-Policy', permissionsPolicy(['camera']));
}

function readApp(
  dir: URL,
  brand: Brand,
  organisation: string,
): Map<string, StaticFile> | undefined {
  let files: Map<string, StaticFile>;
  try {
    files = readStaticFiles(dir, { recursive: true });
  } catch {
    return undefined;
  }
  const index = files.get('index.html');
  if (!index) return undefined;
  const page = brandAppPage(index.body.toString('utf8'), brand, organisation);
  files.set('index.html', staticFile(Buffer.from(page, 'utf8'), index.contentType));
  const manifest = files.get('manifest.webmanifest');
  if (manifest) {
    const branded = brandManifest(manifest.body.toString('utf8'), brand);
    files.set('manifest.webmanifest', staticFile(Buffer.from(branded), manifest.contentType));
  }
  return files;
}

export function authenticatorRoutes(core: Core, dir: URL = APP_DIR): FastifyPluginAsync {
  return async (app) => {
    const files = readApp(dir, brandOf(core.config), core.config.organisation.name);
    if (!files) {
      core.log.warn('the authenticator app is not built (dist/app/ is missing): run npm run build');
    }
    app.get('/app', { schema: { hide: true } }, async (_request, reply) =>
      reply.redirect('/app/', 301),
    );
    app.get<{ Params: { '*': string } }>(
      '/app/*',
      { schema: { hide: true } },
      async (request, reply) => {
        const path = request.params['*'] === '' ? 'index.html' : request.params['*'];
        const file = files?.get(path);
        if (!file) {
          if (!files && path === 'index.html') {
            return reply
              .code(503)
              .type('text/plain; charset=utf-8')
              .send('The authenticator app is not built. Run: npm run build\n');
          }
          return reply.callNotFound();
        }
        const cache = path.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
        return sendStaticFile(request, setAppHeaders(reply), file, cache);
      },
    );
  };
}
