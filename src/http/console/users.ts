/**
 * The console's Users section: the list (user-list.ts), a user's page (user-page.ts) and
 * what an operator does there (user-actions.ts), registered together.
 */
import type { FastifyInstance } from 'fastify';
import type { ConsoleKit } from './kit.js';
import { temporaryRoutes } from './temporary-access.js';
import { userActionRoutes } from './user-actions.js';
import { userListRoutes } from './user-list.js';
import { userPageRoutes } from './user-page.js';

export function userRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    userListRoutes(kit)(app);
    userPageRoutes(kit)(app);
    userActionRoutes(kit)(app);
    temporaryRoutes(kit)(app);
  };
}
