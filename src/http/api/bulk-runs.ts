/**
 * `/api/v1/enrollments/bulk-runs` and `/api/v1/enrollments/remind`: bulk enrollment as a
 * job of the server (the same runs the console and `pforte bulk-run` show), and a
 * reminder to every open enrollment. A run is answered at once (202) and worked by the
 * server's background job; its state is read back with GET.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { Core } from '../../context.js';
import {
  cancelBulkRun,
  createBulkRun,
  getBulkRun,
  listBulkRuns,
  type BulkRunSource,
} from '../../enrollment/bulk-runs.js';
import type { BulkRow } from '../../enrollment/bulk.js';
import { previewBulkRows } from '../../enrollment/bulk-preview.js';
import { readDirectoryRows } from '../../enrollment/bulk-source.js';
import { parseLifetime } from '../../enrollment/lifetime.js';
import { remindPending } from '../../enrollment/remind.js';
import { invalid } from '../../errors.js';
import { failedRowsCsv } from '../shared/bulk-failed-csv.js';
import { sendCsv } from '../shared/csv.js';
import { callerOf, requireScope } from './auth.js';
import {
  BulkPreview,
  BulkRun,
  Lifetime,
  NewBulkRunBody,
  ReminderSummary,
} from './bulk-run-schemas.js';
import { PAGE_QUERY, pageRequestOf } from './paging.js';
import { answers, KEYED, WITH_BODY } from './schemas.js';

/** The rows a request names: given, or everyone a directory filter finds. */
async function rowsOf(
  core: Core,
  body: Static<typeof NewBulkRunBody>,
): Promise<{ rows: BulkRow[]; source: BulkRunSource }> {
  const { rows, directory } = body;
  if ((rows === undefined) === (directory === undefined)) {
    throw invalid('give rows or a directory filter, one of the two');
  }
  if (!directory) return { rows: rows!, source: { kind: 'list' } };
  return {
    rows: await readDirectoryRows(core, directory.filter, directory.name),
    source: {
      kind: 'directory',
      directory: directory.name ?? core.directories[0]?.name ?? '',
      filter: directory.filter,
    },
  };
}

const RunParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const NO_RUN = { 404: 'No such bulk run (`ERR_NOT_FOUND`)' };

export function bulkRunRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', requireScope(core, 'admin'));
    const tags = ['enrollment'];

    app.post(
      '/enrollments/bulk-runs',
      {
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          tags,
          operationId: 'startBulkRun',
          summary: 'Start a bulk enrollment run in the background: rows, or a directory filter',
          body: NewBulkRunBody,
          response: answers(
            { 202: { ...BulkRun, description: 'The run, queued for the server' } },
            [...KEYED, ...WITH_BODY],
            {
              503: 'The directory or the database does not answer; nothing was started (`ERR_DIRECTORY_UNAVAILABLE`, `ERR_DATABASE_UNAVAILABLE`)',
            },
          ),
        },
      },
      async (request, reply) => {
        const { resend, replace, lifetime } = request.body;
        const run = await createBulkRun(core, callerOf(request), {
          ...(await rowsOf(core, request.body)),
          options: {
            resend: resend === true,
            replace: replace === true,
            lifetimeMs: lifetime ? parseLifetime(lifetime) : null,
          },
        });
        reply.status(202);
        return run;
      },
    );

    app.post(
      '/enrollments/bulk-runs/preview',
      {
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          tags,
          operationId: 'previewBulkRun',
          summary: 'What a bulk run of these rows would do now, row by row; changes nothing',
          body: NewBulkRunBody,
          response: answers({ 200: BulkPreview }, [...KEYED, ...WITH_BODY], {
            503: 'The directory or the database does not answer (`ERR_DIRECTORY_UNAVAILABLE`, `ERR_DATABASE_UNAVAILABLE`)',
          }),
        },
      },
      async (request) => {
        const { rows } = await rowsOf(core, request.body);
        const { resend, replace } = request.body;
        return previewBulkRows(core, rows, { resend: resend === true, replace: replace === true });
      },
    );

    app.get(
      '/enrollments/bulk-runs',
      {
        schema: {
          tags,
          operationId: 'listBulkRuns',
          summary: 'List bulk enrollment runs, newest first',
          querystring: Type.Object({ ...PAGE_QUERY }, { additionalProperties: false }),
          response: answers(
            {
              200: Type.Object(
                {
                  items: Type.Array(BulkRun),
                  next: Type.Optional(
                    Type.String({ description: 'The `cursor` of the next page' }),
                  ),
                },
                { additionalProperties: false, description: 'The runs, newest first' },
              ),
            },
            KEYED,
          ),
        },
      },
      async (request) => listBulkRuns(core, pageRequestOf(request.query)),
    );

    app.get(
      '/enrollments/bulk-runs/:id',
      {
        schema: {
          tags,
          operationId: 'getBulkRun',
          summary: 'Show a bulk enrollment run: its state and figures',
          params: RunParams,
          response: answers({ 200: { ...BulkRun, description: 'The run' } }, KEYED, NO_RUN),
        },
      },
      async (request) => getBulkRun(core, request.params.id),
    );

    app.get(
      '/enrollments/bulk-runs/:id/failed.csv',
      {
        schema: {
          tags,
          operationId: 'listBulkRunFailures',
          summary: 'The rows of a run that failed or named no usable user, as CSV',
          params: RunParams,
          response: answers(
            {
              // A CSV body, not JSON: described by its media type (@fastify/swagger's `content`).
              200: Type.Unsafe({
                description: 'row,username,kind,reason: one line per row, in the order of the file',
                content: { 'text/csv': { schema: { type: 'string' } } },
              }),
            },
            KEYED,
            NO_RUN,
          ),
        },
      },
      async (request, reply) => {
        // Read before the answer starts, so an unknown run is a 404, not a broken download.
        const run = await getBulkRun(core, request.params.id);
        return sendCsv(reply, `${run.id}-failed.csv`, failedRowsCsv(core, run.id));
      },
    );

    app.post(
      '/enrollments/bulk-runs/:id/cancel',
      {
        schema: {
          tags,
          operationId: 'cancelBulkRun',
          summary: 'Cancel a run: it stops before its next row; rows done stay done',
          params: RunParams,
          response: answers(
            { 200: { ...BulkRun, description: 'The run, cancelled' } },
            [...KEYED, ...WITH_BODY],
            { ...NO_RUN, 409: 'The run has ended (`ERR_CONFLICT`)' },
          ),
        },
      },
      async (request) => cancelBulkRun(core, callerOf(request), request.params.id),
    );

    app.post(
      '/enrollments/remind',
      {
        schema: {
          tags,
          operationId: 'remindPendingEnrollments',
          summary:
            'Mail each open enrollment a new link with a renewed lifetime (done, expired and cancelled ones are left)',
          body: Type.Optional(
            Type.Object(
              {
                lifetime: Type.Optional(Lifetime),
                batch: Type.Optional(
                  Type.String({
                    maxLength: 64,
                    description: 'Only the open enrollments this bulk run started',
                  }),
                ),
              },
              { additionalProperties: false },
            ),
          ),
          response: answers({ 200: ReminderSummary }, [...KEYED, ...WITH_BODY]),
        },
      },
      async (request) => {
        const { lifetime, batch } = request.body ?? {};
        return remindPending(core, callerOf(request), {
          ...(lifetime ? { lifetimeMs: parseLifetime(lifetime) } : {}),
          ...(batch ? { batch: batch.toUpperCase() } : {}),
        });
      },
    );
  };
}
