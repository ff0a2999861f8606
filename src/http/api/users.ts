/** `/api/v1/users`: administrators manage the users Pforte keeps. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseRole, setUserRole } from '../../users/roles.js';
import { Type } from '@sinclair/typebox';
import {
  ROLE_FILTERS,
  SEARCH_MAX,
  searchUsers,
  TOKEN_FILTERS,
  USER_SORTS,
  USER_SOURCES,
  USER_STATES,
} from '../../users/search.js';
import type { Core } from '../../context.js';
import { createUser, getUser, removeUser, setUserPassword, updateUser } from '../../users/users.js';
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

const oneOf = (values: readonly string[], description: string) =>
  Type.Optional(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { description },
    ),
  );

/** What the user list is narrowed and ordered by (src/users/search.ts). */
const UserSearchQuery = Type.Object(
  {
    ...PAGE_QUERY,
    q: Type.Optional(
      Type.String({
        maxLength: SEARCH_MAX,
        pattern: '^[^\\p{Cc}\\p{Cf}]*$',
        description:
          'A prefix of the username, the name or the e-mail address, in any case (`ann` finds anna, Anne Ahrens and ann.b@example.org)',
      }),
    ),
    source: oneOf(USER_SOURCES, 'Kept by Pforte, or from a directory'),
    role: oneOf(ROLE_FILTERS, 'The console role; `none`: users without one'),
    state: oneOf(USER_STATES, 'Whether the user may sign in'),
    token: oneOf(
      TOKEN_FILTERS,
      'Users with a token in this state; `none`: users without an active token',
    ),
    sort: oneOf(
      USER_SORTS,
      'The order: `username` (the default), `name`, or `lastSignIn` (newest first, users who never signed in last); a cursor holds only in the order it came from',
    ),
  },
  { additionalProperties: false },
);

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
          summary: 'List and search users',
          querystring: UserSearchQuery,
          response: answers(
            { 200: pageOf(User, 'The users that match, in the order asked') },
            KEYED,
          ),
        },
      },
      async (request) => {
        const { limit, cursor, ...search } = request.query;
        return searchUsers(core, { ...search, ...pageRequestOf({ limit, cursor }) });
      },
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
