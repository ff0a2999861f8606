/** A built HTTP app over a fresh core, with an admin key and a validate-only key. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApiKey } from '../../src/apikeys/keys.js';
import { buildApp } from '../../src/http/app.js';
import { ADMIN, makeCore, type TestCore, type TestDatabase } from './core.js';

export interface TestApp extends TestCore {
  app: FastifyInstance;
  adminKey: string;
  validateKey: string;
  /** `app.inject` with the admin key unless the options name another. */
  call(options: InjectOptions & { key?: string | null }): Promise<LightMyRequestResponse>;
}

export async function makeApp(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const t = await makeCore(database, env);
  const app = await buildApp(t.core);
  const adminKey = (await createApiKey(t.core, ADMIN, { name: 'admin', scope: 'admin' })).key;
  const validateKey = (await createApiKey(t.core, ADMIN, { name: 'portal', scope: 'validate' }))
    .key;
  return {
    ...t,
    app,
    adminKey,
    validateKey,
    call({ key, ...options }) {
      const chosen = key === undefined ? adminKey : key;
      return app.inject({
        ...options,
        headers: {
          ...(chosen === null ? {} : { authorization: `Bearer ${chosen}` }),
          ...options.headers,
        },
      });
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}
