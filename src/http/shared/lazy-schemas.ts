/**
 * Fastify compiles every route's validators (Ajv) and response serializers
 * (fast-json-stringify) when the server starts: a few MB of generated code for routes
 * most servers never see (the console's, the bulk API's). These compilers are Fastify's
 * own, with the same options; each route's part is compiled at its first request.
 *
 * What this changes: a broken schema fails its route's first request (500), not the
 * start — test/http/openapi-conformance.test.ts sends every operation valid and hostile
 * requests, so none goes out unused. And Fastify, taking these for custom compilers, no
 * longer lower-cases the property names of a request `headers` schema: no route has one;
 * one that is added must name its headers in lower case.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Factory = NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'];
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown };

const buildValidator = AjvCompiler();
const buildSerializer = SerializerSelector();

export const lazyCompilers: Factory = {
  buildValidator: (externalSchemas, options) => {
    const compile = buildValidator(externalSchemas, options);
    return (route) => {
      let validate: Validate | undefined;
      const lazy: Validate & { schemaEnv?: true } = (data, context) => {
        validate ??= compile(route) as Validate;
        const result = validate(data, context);
        lazy.errors = validate.errors;
        return result;
      };
      // Fastify then passes Ajv the parent of the value, as it does for Ajv's own functions.
      lazy.schemaEnv = true;
      return lazy as unknown as ReturnType<typeof compile>;
    };
  },
  buildSerializer: (externalSchemas, options) => {
    const compile = buildSerializer(externalSchemas, options);
    return (route) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data: unknown) => (serialize ??= compile(route))(data);
    };
  },
};
