/** `/api/v1/users`: administrators manage the users Pforte keeps. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core.js';
import {
  createUser,
  getUser,
  listUsers,
  removeUser,
  setUserPassword,
  updateUser,
} from '../../users/users.js';
import { callerOf, requireScope } from '../auth.js';
import {
  ErrorBody,
  NewUserBody,
  PasswordBody,
  User,
  UserChangesBody,
  UsernameParams,
  withErrors,
} from '../schemas.js';

export function userRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', requireScope(core, 'admin'));
    const tags = ['users'];

    app.get(
      '/users',
      { schema: { tags, summary: 'List users', response: withErrors({ 200: Type.Array(User) }) } },
      async () => listUsers(core),
    );

    app.post(
      '/users',
      {
        schema: {
          tags,
          summary: 'Create a user',
          body: NewUserBody,
          response: withErrors({ 201: User, 409: ErrorBody }),
        },
      },
      async (request, reply) => {
        reply.status(201);
        return createUser(core, callerOf(request), request.body);
      },
    );

    app.get(
      '/users/:username',
      {
        schema: {
          tags,
          summary: 'Show a user',
          params: UsernameParams,
          response: withErrors({ 200: User }),
        },
      },
      async (request) => getUser(core, request.params.username),
    );

    app.patch(
      '/users/:username',
      {
        schema: {
          tags,
          summary: 'Change a user (e-mail, name, language, disabled)',
          params: UsernameParams,
          body: UserChangesBody,
          response: withErrors({ 200: User }),
        },
      },
      async (request) => updateUser(core, callerOf(request), request.params.username, request.body),
    );

    app.put(
      '/users/:username/password',
      {
        schema: {
          tags,
          summary: "Set a user's password",
          params: UsernameParams,
          body: PasswordBody,
          response: withErrors({ 204: Type.Null() }),
        },
      },
      async (request, reply) => {
        await setUserPassword(
          core,
          callerOf(request),
          request.params.username,
          request.body.password,
        );
        return reply.status(204).send();
      },
    );

    app.delete(
      '/users/:username',
      {
        schema: {
          tags,
          summary: 'Remove a user and their tokens',
          params: UsernameParams,
          response: withErrors({ 204: Type.Null() }),
        },
      },
      async (request, reply) => {
        await removeUser(core, callerOf(request), request.params.username);
        return reply.status(204).send();
      },
    );
  };
}
