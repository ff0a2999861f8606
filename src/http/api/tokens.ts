/** `/api/v1/tokens`: import, list, show, change, remove, and the state actions. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../context.js';
import { resyncToken } from '../../tokens/resync.js';
import { changeTokenState, type TokenAction } from '../../tokens/state.js';
import {
  changeTokenDescription,
  getToken,
  importToken,
  listTokens,
  removeToken,
} from '../../tokens/tokens.js';
import { callerOf, requireScope } from './auth.js';
import { PAGE_QUERY, pageOf, pageRequestOf } from './paging.js';
import {
  answers,
  KEYED,
  Nothing,
  ref,
  ResyncBody,
  SerialParams,
  Token,
  TokenChangesBody,
  TokenImportBody,
  Username,
  WITH_BODY,
} from './schemas.js';

const NO_TOKEN = { 404: 'No such token (`ERR_NOT_FOUND`)' };
const STATE_REFUSES = {
  ...NO_TOKEN,
  409: "The token's state does not allow this, or it changed meanwhile (`ERR_TOKEN_STATE`)",
};

const ACTIONS: TokenAction[] = ['disable', 'enable', 'unlock', 'revoke'];

export function tokenRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', requireScope(core, 'admin'));
    const tags = ['tokens'];

    app.get(
      '/tokens',
      {
        schema: {
          tags,
          operationId: 'listTokens',
          summary: 'List tokens',
          querystring: Type.Object(
            { username: Type.Optional(Username), ...PAGE_QUERY },
            { additionalProperties: false },
          ),
          response: answers(
            { 200: pageOf(Token, 'The tokens, oldest first (of the user, if one is named)') },
            KEYED,
            { 404: 'No such user (`ERR_NOT_FOUND`)' },
          ),
        },
      },
      async (request) =>
        listTokens(core, {
          ...(request.query.username !== undefined ? { username: request.query.username } : {}),
          ...pageRequestOf(request.query),
        }),
    );

    app.post(
      '/tokens',
      {
        schema: {
          tags,
          operationId: 'importToken',
          summary: 'Import an existing OATH secret (base32, hex or otpauth URI)',
          body: TokenImportBody,
          response: answers(
            { 201: ref(Token, 'The new token, active') },
            [...KEYED, ...WITH_BODY],
            {
              404: 'No such user (`ERR_NOT_FOUND`)',
            },
          ),
        },
      },
      async (request, reply) => {
        reply.status(201);
        return importToken(core, callerOf(request), request.body);
      },
    );

    app.get(
      '/tokens/:serial',
      {
        schema: {
          tags,
          operationId: 'getToken',
          summary: 'Show a token',
          params: SerialParams,
          response: answers({ 200: ref(Token, 'The token') }, KEYED, NO_TOKEN),
        },
      },
      async (request) => getToken(core, request.params.serial),
    );

    app.patch(
      '/tokens/:serial',
      {
        schema: {
          tags,
          operationId: 'updateToken',
          summary: "Change a token's description",
          params: SerialParams,
          body: TokenChangesBody,
          response: answers(
            { 200: ref(Token, 'The token as changed') },
            [...KEYED, ...WITH_BODY],
            NO_TOKEN,
          ),
        },
      },
      async (request) =>
        changeTokenDescription(
          core,
          callerOf(request),
          request.params.serial,
          request.body.description,
        ),
    );

    app.delete(
      '/tokens/:serial',
      {
        schema: {
          tags,
          operationId: 'removeToken',
          summary: 'Remove a token for good (revoking keeps it on record)',
          params: SerialParams,
          response: answers(
            { 204: Nothing('The token is removed') },
            [...KEYED, ...WITH_BODY],
            NO_TOKEN,
          ),
        },
      },
      async (request, reply) => {
        await removeToken(core, callerOf(request), request.params.serial);
        return reply.status(204).send();
      },
    );

    for (const action of ACTIONS) {
      app.post(
        `/tokens/:serial/${action}`,
        {
          schema: {
            tags,
            operationId: `${action}Token`,
            summary: `${action[0]!.toUpperCase()}${action.slice(1)} a token`,
            params: SerialParams,
            response: answers(
              { 200: ref(Token, 'The token in its new state') },
              [...KEYED, ...WITH_BODY],
              STATE_REFUSES,
            ),
          },
        },
        async (request) => changeTokenState(core, callerOf(request), request.params.serial, action),
      );
    }

    app.post(
      '/tokens/:serial/resync',
      {
        schema: {
          tags,
          operationId: 'resyncToken',
          summary:
            'Resynchronise a token with two consecutive codes: an HOTP counter, or the clock drift of a TOTP authenticator',
          params: SerialParams,
          body: ResyncBody,
          response: answers(
            { 200: ref(Token, 'The token, resynchronised') },
            [...KEYED, ...WITH_BODY],
            {
              ...STATE_REFUSES,
              422: 'No two consecutive codes were found within the resync window (`ERR_RESYNC_FAILED`)',
            },
          ),
        },
      },
      async (request) =>
        resyncToken(
          core,
          callerOf(request),
          request.params.serial,
          request.body.code1,
          request.body.code2,
        ),
    );
  };
}
