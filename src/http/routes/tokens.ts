/** `/api/v1/tokens`: import, list, show, change, remove, and the state actions. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core.js';
import { resyncToken } from '../../tokens/resync.js';
import { changeTokenState, type TokenAction } from '../../tokens/state.js';
import {
  changeTokenDescription,
  getToken,
  importToken,
  listTokens,
  removeToken,
} from '../../tokens/tokens.js';
import { callerOf, requireScope } from '../auth.js';
import {
  ErrorBody,
  ResyncBody,
  SerialParams,
  Token,
  TokenChangesBody,
  TokenImportBody,
  withErrors,
} from '../schemas.js';

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
          summary: 'List tokens',
          querystring: Type.Object(
            { username: Type.Optional(Type.String({ maxLength: 256 })) },
            { additionalProperties: false },
          ),
          response: withErrors({ 200: Type.Array(Token) }),
        },
      },
      async (request) => listTokens(core, request.query),
    );

    app.post(
      '/tokens',
      {
        schema: {
          tags,
          summary: 'Import an existing OATH secret (base32, hex or otpauth URI)',
          body: TokenImportBody,
          response: withErrors({ 201: Token }),
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
          summary: 'Show a token',
          params: SerialParams,
          response: withErrors({ 200: Token }),
        },
      },
      async (request) => getToken(core, request.params.serial),
    );

    app.patch(
      '/tokens/:serial',
      {
        schema: {
          tags,
          summary: "Change a token's description",
          params: SerialParams,
          body: TokenChangesBody,
          response: withErrors({ 200: Token }),
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
          summary: 'Remove a token for good (revoking keeps it on record)',
          params: SerialParams,
          response: withErrors({ 204: Type.Null() }),
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
            summary: `${action[0]!.toUpperCase()}${action.slice(1)} a token`,
            params: SerialParams,
            response: withErrors({ 200: Token, 409: ErrorBody }),
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
          summary: 'Resynchronise an HOTP token with two consecutive codes',
          params: SerialParams,
          body: ResyncBody,
          response: withErrors({ 200: Token, 409: ErrorBody, 422: ErrorBody }),
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
