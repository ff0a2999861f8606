/**
 * A method a path does not have is `405 ERR_METHOD_NOT_ALLOWED` with `Allow` naming the
 * path's methods (RFC 9110 section 15.5.6), in the error envelope; only a path that does
 * not exist at all is a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

const CASES: [method: string, url: string, allow: string][] = [
  ['GET', '/api/v1/validate', 'POST'],
  ['DELETE', '/api/v1/validate', 'POST'],
  ['HEAD', '/api/v1/validate', 'POST'],
  ['PUT', '/api/v1/users', 'GET, HEAD, POST'],
  ['PUT', '/api/v1/users?limit=1', 'GET, HEAD, POST'],
  ['POST', '/api/v1/users/alice', 'GET, HEAD, PATCH, DELETE'],
  ['POST', '/api/v1/users/al%69ce', 'GET, HEAD, PATCH, DELETE'],
  ['GET', '/api/v1/users/alice/password', 'PUT'],
  ['DELETE', '/api/v1/tokens/PF0000001/revoke', 'POST'],
  ['OPTIONS', '/api/v1/activations', 'POST'],
  ['POST', '/healthz', 'GET, HEAD'],
  ['POST', '/auth/check', 'GET, HEAD'],
  ['PUT', '/login', 'GET, HEAD, POST'],
  ['DELETE', '/app/index.html', 'GET, HEAD'],
];

describe('a method the path does not have', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite');
  });
  afterAll(() => t.close());

  it.each(CASES)('%s %s answers 405 with Allow: %s', async (method, url, allow) => {
    const answer = await t.call({ method: method as 'GET', url });
    expect(answer.statusCode).toBe(405);
    expect(answer.headers.allow).toBe(allow);
    if (method !== 'HEAD') {
      expect(answer.json()).toEqual({
        error: { code: 'ERR_METHOD_NOT_ALLOWED', message: expect.stringContaining(allow) },
      });
    }
  });

  it.each([
    ['GET', '/api/v1/nothing-here'],
    ['POST', '/api/v1/users/alice/nothing'],
    ['GET', '/assets/no-such-file.css'],
    ['GET', '/app/no-such-file.js'],
  ])('%s %s (no such path, or nothing at it) stays 404 without Allow', async (method, url) => {
    const answer = await t.call({ method: method as 'GET', url });
    expect(answer.statusCode).toBe(404);
    expect(answer.headers.allow).toBeUndefined();
    expect(answer.json().error.code).toBe('ERR_NOT_FOUND');
  });
});
