/**
 * `GET /assets/<name>`: the stylesheet and script of the server-rendered pages. The files of
 * the repository's `assets/` folder are read once, at registration, into a fixed allow-list;
 * nothing else on disk can be reached through this route.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { extname } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

// Three levels below the repository root both as src/http/routes/assets.ts and as
// dist/http/routes/assets.js.
const ASSETS_DIR = new URL('../../../assets/', import.meta.url);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Reads the served files: regular, not hidden, with a known content type. */
function readAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(ASSETS_DIR, { withFileTypes: true })) {
    const contentType = CONTENT_TYPES[extname(entry.name).toLowerCase()];
    if (!entry.isFile() || entry.name.startsWith('.') || contentType === undefined) continue;
    const body = readFileSync(new URL(encodeURIComponent(entry.name), ASSETS_DIR));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(entry.name, { body, contentType, etag });
  }
  return assets;
}

/** Serves the files of `assets/` at `/assets/<name>`; register without a prefix. */
export function assetRoutes(): FastifyPluginAsync {
  return async (app) => {
    const assets = readAssets();
    app.get<{ Params: { name: string } }>(
      '/assets/:name',
      { schema: { hide: true } },
      async (request, reply) => {
        const asset = assets.get(request.params.name);
        if (!asset) return reply.callNotFound();
        reply
          .header('Cache-Control', 'public, max-age=3600')
          .header('X-Content-Type-Options', 'nosniff')
          .header('ETag', asset.etag);
        if (matchesETag(request.headers['if-none-match'], asset.etag)) {
          return reply.code(304).send();
        }
        return reply.type(asset.contentType).send(asset.body);
      },
    );
  };
}

/** RFC 9110 §13.1.2: If-None-Match compares weakly and may list several tags or `*`. */
function matchesETag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
