/**
 * The shapes of the bulk-run routes (bulk-runs.ts): a run, a preview, a reminder's
 * summary and the body that starts or previews a run, each tied to the core's type.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { BulkPreview as CorePreview } from '../../enrollment/bulk-preview.js';
import type { BulkRun as CoreBulkRun, BulkRunSource } from '../../enrollment/bulk-runs.js';
import type { ReminderSummary as CoreReminder } from '../../enrollment/remind.js';
import { BulkEnrollmentBody, type Assert, type Same } from './schemas.js';

const Count = (description?: string) =>
  Type.Integer({ minimum: 0, ...(description ? { description } : {}) });
const Time = Type.String({ format: 'date-time' });
const OrNull = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const BulkRun = Type.Object(
  {
    id: Type.String(),
    state: Type.Unsafe<CoreBulkRun['state']>(
      Type.String({ enum: ['draft', 'queued', 'running', 'done', 'failed', 'cancelled'] }),
    ),
    startedBy: Type.String({ description: 'The API key, operator or OS user who started it' }),
    source: Type.Unsafe<BulkRunSource>(
      Type.Object(
        {
          kind: Type.String({ enum: ['csv', 'directory', 'list'] }),
          file: Type.Optional(Type.String()),
          directory: Type.Optional(Type.String()),
          filter: Type.Optional(Type.String()),
        },
        { description: 'Where the rows came from: a CSV file, a directory filter, or a list' },
      ),
    ),
    options: Type.Object({
      resend: Type.Boolean(),
      replace: Type.Boolean(),
      lifetimeMs: Type.Union([Type.Integer(), Type.Null()]),
    }),
    total: Count('Rows'),
    done: Count('Rows done: the run resumes after them'),
    counts: Type.Object({
      started: Count('New enrollments for users who had none'),
      resent: Count('Open enrollments mailed a new link'),
      replaced: Count('New enrollments for users who hold a token (replace)'),
      alreadyEnrolled: Count('Skipped: the user holds a token'),
      openAlready: Count('Skipped: an enrollment is open already'),
      skipped: Count('Skipped: no such user, or a disabled one'),
      failed: Count('Rows that failed, or whose mail did'),
      sent: Count('Mails handed to the SMTP server'),
      stored: Count('Mails kept in the outbox (no SMTP configured)'),
    }),
    createdAt: Time,
    startedAt: OrNull(Time),
    finishedAt: OrNull(Time),
    failure: Type.String({ description: 'Why the run failed; empty otherwise' }),
  },
  { description: 'A bulk enrollment run' },
);

export const ReminderSummary = Type.Object(
  {
    reminded: Count('Open enrollments mailed a new link with a renewed lifetime'),
    sent: Count('Mails handed to the SMTP server'),
    stored: Count('Mails kept in the outbox (no SMTP configured)'),
    failed: Type.Array(
      Type.Object({ id: Type.String(), username: Type.String(), reason: Type.String() }),
    ),
  },
  { description: 'What the reminder did' },
);

/** `tsc` fails when a schema and the core's type stop agreeing. */
export type BulkRunsMatchTheCore = [
  Assert<Same<Static<typeof BulkPreview>, CorePreview>>,
  Assert<Same<Static<typeof BulkRun>, CoreBulkRun>>,
  Assert<Same<Static<typeof ReminderSummary>, CoreReminder>>,
];

export const Lifetime = BulkEnrollmentBody.properties.lifetime;

export const NewBulkRunBody = Type.Object(
  {
    rows: Type.Optional(BulkEnrollmentBody.properties.rows),
    directory: Type.Optional(
      Type.Object(
        {
          filter: Type.String({ maxLength: 1000, description: 'An LDAP filter in parentheses' }),
          name: Type.Optional(
            Type.String({ maxLength: 100, description: 'The directory; the first if not given' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    resend: BulkEnrollmentBody.properties.resend,
    replace: BulkEnrollmentBody.properties.replace,
    lifetime: Lifetime,
  },
  {
    additionalProperties: false,
    description: 'The rows, or a directory filter whose users are the rows (one of the two)',
  },
);

export const BulkPreview = Type.Object(
  {
    total: Count('Rows given'),
    newUsers: Count('New enrollments for users Pforte does not know yet'),
    started: Count('New enrollments for known users who have none'),
    replaced: Count('New enrollments for users who hold a token (replace)'),
    resent: Count('Open enrollments to be mailed a new link'),
    alreadyEnrolled: Count('Skipped: the user holds a token'),
    openAlready: Count('Skipped: an enrollment is open already'),
    invalid: Type.Array(
      Type.Object({ row: Type.Integer(), username: Type.String(), reason: Type.String() }),
      { description: 'Rows that would fail or name no usable user, with the reason' },
    ),
  },
  { description: 'What the run would do now' },
);
