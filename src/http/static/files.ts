/**
 * Files served as they are on disk (the pages' stylesheet and script, the authenticator
 * app): read once into memory at start, so a request can only ever reach a file of the
 * fixed list — no path from a URL touches the file system.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { extname } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
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

export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

export function staticFile(body: Buffer, contentType: string): StaticFile {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, contentType, etag };
}

/**
 * The files under `dir` by their path relative to it (`assets/index-1a2b.js`): regular,
 * not hidden, with a known content type; `recursive` descends into folders.
 */
export function readStaticFiles(
  dir: URL,
  options: { recursive?: boolean } = {},
): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const visit = (prefix: string) => {
    for (const entry of readdirSync(new URL(prefix, dir), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = prefix + entry.name;
      if (entry.isDirectory() && options.recursive) visit(`${path}/`);
      const contentType = CONTENT_TYPES[extname(entry.name).toLowerCase()];
      if (!entry.isFile() || contentType === undefined) continue;
      const body = readFileSync(new URL(path.split('/').map(encodeURIComponent).join('/'), dir));
      files.set(path, staticFile(body, contentType));
    }
  };
  visit('');
  return files;
}

/** Sends `file` with its ETag, or 304 when the client holds it already. */
export function sendStaticFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: StaticFile,
  cacheControl: string,
): FastifyReply {
  reply
    .header('Cache-Control', cacheControl)
    .header('X-Content-Type-Options', 'nosniff')
    .header('ETag', file.etag);
  if (matchesETag(request.headers['if-none-match'], file.etag)) return reply.code(304).send();
  return reply.type(file.contentType).send(file.body);
}

/** RFC 9110 §13.1.2: If-None-Match compares weakly and may list several tags or `*`. */
function matchesETag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
