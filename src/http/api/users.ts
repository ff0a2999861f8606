/** `/api/v1/users`: administrators manage the users Pforte keeps. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseRole, setUserRole } from '../../users/roles.js';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../context.js';
import {
  createUser,
  getUser,
  listUsers,
  removeUser,
  setUserPassword,
  updateUser,
} from '../../users/users.js';
import { callerOf, requireScope } from './auth.js';
import { PAGE_QUERY, pageOf, pageRequestOf } from './paging.js';
import {
  answers,
  KEYED,
  NewUserBody,
  Nothing,
  PasswordBody,
  ref,
  User,
  UserChangesBody,
  UsernameParams,
  WITH_BODY,
} from './schemas.js';

const NO_USER = { 404: 'No such user (`ERR_NOT_FOUND`)' };

export function userRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', requireScope(core, 'admin'));
    const tags = ['users'];

    app.get(
      '/users',
      {
        schema: {
          operationId: 'listUsers',
          tags,
          summary: 'List users',
          querystring: Type.Object(PAGE_QUERY, { additionalProperties: false }),
          response: answers({ 200: pageOf(User, 'The users, by username') }, KEYED),
        },
      },
      async (request) => listUsers(core, pageRequestOf(request.query)),
    );

    app.post(
      '/users',
      {
        schema: {
          tags,
          operationId: 'createUser',
          summary: 'Create a user',
          body: NewUserBody,
          response: answers({ 201: ref(User, 'The new user') }, [...KEYED, ...WITH_BODY], {
            409: 'A user of that name exists already (`ERR_CONFLICT`)',
          }),
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
          operationId: 'getUser',
          summary: 'Show a user',
          params: UsernameParams,
          response: answers({ 200: ref(User, 'The user') }, KEYED, NO_USER),
        },
      },
      async (request) => getUser(core, request.params.username),
    );

    app.patch(
      '/users/:username',
      {
        schema: {
          tags,
          operationId: 'updateUser',
          summary: 'Change a user (e-mail, name, language, disabled, console role)',
          params: UsernameParams,
          body: UserChangesBody,
          response: answers(
            { 200: ref(User, 'The user as changed') },
            [...KEYED, ...WITH_BODY],
            NO_USER,
          ),
        },
      },
      async (request) => {
        const { role, ...changes } = request.body;
        const caller = callerOf(request);
        if (role !== undefined)
          await setUserRole(core, caller, request.params.username, parseRole(role));
        return Object.keys(changes).length > 0
          ? updateUser(core, caller, request.params.username, changes)
          : getUser(core, request.params.username);
      },
    );

    app.put(
      '/users/:username/password',
      {
        schema: {
          tags,
          operationId: 'setUserPassword',
          summary: "Set a user's password",
          params: UsernameParams,
          body: PasswordBody,
          response: answers(
            { 204: Nothing('The password is set') },
            [...KEYED, ...WITH_BODY],
            NO_USER,
          ),
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
          operationId: 'removeUser',
          summary: 'Remove a user and their tokens',
          params: UsernameParams,
          response: answers(
            { 204: Nothing('The user is removed') },
            [...KEYED, ...WITH_BODY],
            NO_USER,
          ),
        },
      },
      async (request, reply) => {
        await removeUser(core, callerOf(request), request.params.username);
        return reply.status(204).send();
      },
    );
  };
}
