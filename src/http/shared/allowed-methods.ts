/**
 * Which methods a path has, for `405 Method Not Allowed` and its `Allow` header (RFC 9110
 * section 15.5.6): the router is asked, for each method any route uses, whether it has
 * a route for the path. A path that exists answers 405 to the other methods; only an
 * unknown path is a 404.
 */
import type { FastifyInstance } from 'fastify';

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Call before the routes are added: it watches them being added. */
export function watchRouteMethods(app: FastifyInstance): (url: string) => string[] {
  const used = new Set<string>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) used.add(method.toUpperCase());
  });
  return (url) => {
    const path = url.split('?', 1)[0] ?? '/';
    const found = [...used].filter((method) => app.findRoute({ method, url: path }) !== null);
    // Fastify answers HEAD wherever there is a GET.
    if (found.includes('GET') && !found.includes('HEAD')) found.push('HEAD');
    return found.sort(byOrder);
  };
}

function byOrder(a: string, b: string): number {
  const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}
