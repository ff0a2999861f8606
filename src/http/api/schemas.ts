/**
 * The shapes of the REST API, as TypeBox schemas: Fastify validates requests with
 * them (unknown fields refused), and the OpenAPI document is generated from them.
 *
 * Where the core has a rule (a username's characters, an e-mail address, a passcode's
 * digits, a password's length), the schema takes it from the code that enforces it,
 * so the document is as strict as the server and the rule exists once. The shapes the
 * server answers with are components (`#/components/schemas/<name>`), so generated
 * clients get one named type for each.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  AUDIT_FACES,
  AUDIT_OUTCOMES,
  type AuditEvent as CoreAuditEvent,
} from '../../audit/record.js';
import { SKIP_KINDS, type BulkSummary as CoreBulkSummary } from '../../enrollment/bulk.js';
import { ERROR_CODES, type ErrorCode } from '../../errors.js';
import { PASSCODE_PATTERN, type OtpAlgorithm, type OtpType } from '../../otp/codes.js';
import { ActivationOffer } from '../../protocol/activation-offer.js';
import type { TokenState } from '../../store/tables.js';
import type { Token as CoreToken } from '../../tokens/view.js';
import {
  EMAIL_MAX,
  EMAIL_PATTERN,
  NAME_MAX,
  NAME_PATTERN,
  PASSWORD_MAX,
  PASSWORD_MIN,
  USERNAME_MAX,
  USERNAME_PATTERN,
  type Language as CoreLanguage,
} from '../../users/fields.js';
import { ROLES, type Role } from '../../users/roles.js';
import type { User as CoreUser } from '../../users/users.js';
import { PAGE_QUERY } from './paging.js';

export { ActivationOffer };

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

/** An answer that is one of the components, typed as the component itself. */
export function ref<T extends TSchema>(schema: T, description: string) {
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id!, { description }));
}

/**
 * A string typed as the core's union of values (a language, a state), its schema left as
 * it is: the document does not change, and the answer's type equals the core's.
 */
function StringOf<T extends string>(values?: readonly T[]) {
  return Type.Unsafe<T>(Type.String(values ? { enum: [...values] } : {}));
}

export const Username = Type.String({
  maxLength: USERNAME_MAX,
  pattern: USERNAME_PATTERN,
  description: 'ASCII letters, digits and . _ @ + - (not first); kept in lower case',
});
const Email = Type.String({ maxLength: EMAIL_MAX, pattern: EMAIL_PATTERN });
const DisplayName = Type.String({ minLength: 1, maxLength: NAME_MAX, pattern: NAME_PATTERN });
const NewPassword = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
const Passcode = Type.String({ pattern: PASSCODE_PATTERN, description: '6 to 8 digits' });
const Language = Type.Union([Type.Literal('de'), Type.Literal('en')]);

/**
 * `ipv4` and `ipv6` are checked by node:net, the functions the sign-in decision uses,
 * instead of ajv-formats' own expressions: one rule for what an address is.
 */
export function useNodeAddressFormats(ajv: {
  addFormat(name: string, check: (value: string) => boolean): unknown;
}): void {
  ajv.addFormat('ipv4', isIPv4);
  ajv.addFormat('ipv6', isIPv6);
}

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Unsafe<ErrorCode>({
          type: 'string',
          enum: Object.keys(ERROR_CODES),
          description: 'Stable, for programs; each is explained in docs/errors.md',
        }),
        message: Type.String({ description: 'For people; may change' }),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'Error', additionalProperties: false },
);

/**
 * What each error status means in general, with its codes (src/errors.ts); an operation
 * says more where it knows more (`answers`' meanings). A test checks that every code
 * named in the document exists with that status.
 */
const ERROR_MEANINGS = {
  400: 'The request is not valid: a field is missing, of the wrong type, too long, unknown or breaks a rule, or the body is not JSON. Nothing was changed (`ERR_VALIDATION`, `ERR_BAD_JSON`)',
  401: 'No valid API key in `Authorization: Bearer <key>`; the answer has `WWW-Authenticate: Bearer` (`ERR_UNAUTHENTICATED`)',
  403: "The API key's scope does not allow this (`ERR_FORBIDDEN`)",
  404: 'Not found (`ERR_NOT_FOUND`)',
  409: "The resource's state does not allow this (`ERR_CONFLICT`)",
  413: 'The body is too large (`ERR_BODY_TOO_LARGE`)',
  415: 'The body is not application/json (`ERR_UNSUPPORTED_MEDIA_TYPE`)',
  422: 'The request is understood but cannot be carried out',
  429: 'Too many requests from this address; `Retry-After` says when to try again (`ERR_RATE_LIMITED`)',
  500: 'A fault of the server; the answer has no detail, the server log has (`ERR_INTERNAL`)',
  503: 'The database cannot answer now (`ERR_DATABASE_UNAVAILABLE`), or the server is shutting down; try again later',
} as const;
export type ErrorStatus = keyof typeof ERROR_MEANINGS;

/** Every operation can fail on the server's side or while the database is away. */
export const SERVER_FAULTS: ErrorStatus[] = [500, 503];
/** An API-key operation: a key that is missing or too weak, and bad input. */
export const KEYED: ErrorStatus[] = [400, 401, 403, ...SERVER_FAULTS];
/** An operation whose request has a body (or may be sent one): its size and type. */
export const WITH_BODY: ErrorStatus[] = [413, 415];

/**
 * An operation's answers: its successes, and the shared error envelope for each error
 * status it can give, described by what that status means here (`meanings`, which may
 * add statuses) or in general.
 */
export function answers(
  success: Record<number, TSchema>,
  errors: ErrorStatus[],
  meanings: Partial<Record<ErrorStatus, string>> = {},
): Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...success };
  for (const status of [...new Set([...errors, ...numericKeys(meanings)])].sort((a, b) => a - b)) {
    const answer = ref(ErrorBody, meanings[status] ?? ERROR_MEANINGS[status]);
    const headers = ERROR_HEADERS[status];
    out[status] = headers ? { ...answer, headers } : answer;
  }
  return out;
}

/** The headers that come with some error answers (sendError in errors.ts sets them). */
const ERROR_HEADERS: Partial<Record<ErrorStatus, Record<string, TSchema>>> = {
  401: { 'WWW-Authenticate': Type.Literal('Bearer') },
  429: {
    'Retry-After': Type.Integer({ minimum: 1, description: 'Seconds until a retry may succeed' }),
  },
};

function numericKeys(record: Partial<Record<ErrorStatus, string>>): ErrorStatus[] {
  return Object.keys(record).map(Number) as ErrorStatus[];
}

/** No body: the 204 answers. */
export const Nothing = (description: string) => Type.Null({ description });

export const ValidateBody = Type.Object(
  {
    username: Username,
    password: Type.Optional(
      Type.String({
        maxLength: PASSWORD_MAX,
        description: 'Omit to check the passcode alone (the service checked the password itself).',
      }),
    ),
    otp: Type.String({ pattern: PASSCODE_PATTERN, description: 'The passcode: 6 to 8 digits.' }),
    clientAddress: Type.Optional(
      Type.Union(
        [
          Type.String({ format: 'ipv4', maxLength: 15 }),
          Type.String({ format: 'ipv6', maxLength: 64 }),
        ],
        {
          description:
            "The end user's IP address. Pass it: without it there is no per-address back-off, and the rate limit counts the whole service as one address.",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ValidateResult = Type.Object(
  {
    result: Type.Union([Type.Literal('accept'), Type.Literal('reject')], {
      description: 'Never says which part was wrong',
    }),
  },
  { $id: 'ValidateResult', additionalProperties: false },
);

export const User = Type.Object(
  {
    username: Type.String(),
    email: Type.String(),
    name: Type.String(),
    lang: StringOf<CoreLanguage>(),
    disabled: Type.Boolean(),
    hasPassword: Type.Boolean(),
    directory: Type.Union([Type.String(), Type.Null()], {
      description: 'The LDAP directory the user comes from; null for users Pforte keeps',
    }),
    role: Type.Union([StringOf<Role>(ROLES), Type.Null()], {
      description: 'What the user may do in the admin console: admin, helpdesk, or null',
    }),
    lastSignInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
);

export const NewUserBody = Type.Object(
  {
    username: Username,
    email: Email,
    name: Type.Optional(DisplayName),
    lang: Type.Optional(Language),
    password: Type.Optional(NewPassword),
  },
  { additionalProperties: false },
);

export const UserChangesBody = Type.Object(
  {
    email: Type.Optional(Email),
    name: Type.Optional(DisplayName),
    lang: Type.Optional(Language),
    disabled: Type.Optional(Type.Boolean()),
    role: Type.Optional(
      Type.Union([Type.Literal('admin'), Type.Literal('helpdesk'), Type.Literal('none')], {
        description: 'The console role; `none` takes it away',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordBody = Type.Object({ password: NewPassword }, { additionalProperties: false });

export const Token = Type.Object(
  {
    serial: Type.String(),
    username: Type.String(),
    type: StringOf<OtpType>(['totp', 'hotp']),
    algorithm: StringOf<OtpAlgorithm>(['SHA1', 'SHA256', 'SHA512']),
    digits: Type.Integer(),
    period: Type.Optional(Type.Integer()),
    counter: Type.Optional(Type.Integer()),
    state: StringOf<TokenState>(['pending', 'active', 'disabled', 'locked', 'revoked']),
    failCount: Type.Integer(),
    lockedUntil: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    description: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Token' },
);

export const TokenImportBody = Type.Object(
  {
    username: Username,
    secret: Type.Optional(Text(512, 'Base32 (RFC 4648)')),
    secretHex: Type.Optional(Text(512)),
    otpauth: Type.Optional(Text(2048, 'An otpauth:// key URI')),
    type: Type.Optional(Type.Union([Type.Literal('totp'), Type.Literal('hotp')])),
    algorithm: Type.Optional(
      Type.Union([Type.Literal('SHA1'), Type.Literal('SHA256'), Type.Literal('SHA512')]),
    ),
    digits: Type.Optional(Type.Union([Type.Literal(6), Type.Literal(8)])),
    period: Type.Optional(Type.Union([Type.Literal(30), Type.Literal(60)])),
    counter: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    description: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

export const TokenChangesBody = Type.Object(
  { description: Text(200) },
  { additionalProperties: false },
);

export const ResyncBody = Type.Object(
  { code1: Passcode, code2: Passcode },
  { additionalProperties: false },
);

export const SerialParams = Type.Object({ serial: Text(64) });
export const UsernameParams = Type.Object({ username: Username });

export const AuditEvent = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.String(),
    face: Type.String(),
    action: Type.String(),
    outcome: Type.String(),
    reason: Type.String(),
    username: Type.String(),
    serial: Type.String(),
    address: Type.String(),
    detail: Type.Record(Type.String(), Type.Unknown()),
    sealed: Type.Boolean(),
  },
  { $id: 'AuditEvent' },
);

export const AuditQuery = Type.Object(
  {
    username: Type.Optional(Text(256, 'Only events about this user (case-insensitive)')),
    action: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: '^[a-z][a-z0-9._-]*$',
        description: 'Only this action, e.g. `signin`, `token.unlock`, `apikey.create`',
      }),
    ),
    outcome: Type.Optional(
      Type.Union(
        AUDIT_OUTCOMES.map((o) => Type.Literal(o)),
        { description: 'Only events with this outcome' },
      ),
    ),
    face: Type.Optional(
      Type.Union(
        AUDIT_FACES.map((f) => Type.Literal(f)),
        { description: 'Only events that came through this face' },
      ),
    ),
    address: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: '^[A-Za-z0-9.:%_-]+$',
        description: 'Only events from this client address, exactly as recorded',
      }),
    ),
    since: Type.Optional(
      Type.String({
        format: 'date-time',
        maxLength: 40,
        description: 'Only events at or after this time',
      }),
    ),
    until: Type.Optional(
      Type.String({
        format: 'date-time',
        maxLength: 40,
        description: 'Only events before this time',
      }),
    ),
    ...PAGE_QUERY,
    before: Type.Optional(
      Type.String({
        pattern: '^[1-9][0-9]{0,14}$',
        description: 'Only events with a smaller id (the next page)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ActivationBody = Type.Object(
  {
    code: Text(100, 'The enrollment string (case, hyphens and spaces are ignored).'),
    publicKey: Text(100, "The app's ECDH P-256 public key: 65-byte uncompressed point, base64url."),
  },
  { additionalProperties: false },
);

export const ConfirmBody = Type.Object(
  { proof: Text(100, 'base64url(HMAC-SHA-256(seed, "pforte/confirm/v1|" + activationId))') },
  { additionalProperties: false },
);

export const ConfirmResult = Type.Object(
  { serial: Type.String(), state: Type.Literal('active') },
  { $id: 'ConfirmResult' },
);

export const ActivationParams = Type.Object({ id: Text(64) });

const Lifetime = Text(10, 'e.g. 7d, 48h or 30m; default enrollment.lifetimeDays');

export const NewEnrollmentBody = Type.Object(
  {
    username: Username,
    lifetime: Type.Optional(Lifetime),
    sendMail: Type.Optional(Type.Boolean({ description: 'false: only return the link' })),
  },
  { additionalProperties: false },
);

// A row's fields are bounded here but judged by the core, row by row: one bad row is
// reported in the summary's `failed`, not a reason to refuse the other 19,999.
export const BulkEnrollmentBody = Type.Object(
  {
    rows: Type.Array(
      Type.Object(
        {
          username: Text(256),
          email: Type.Optional(Text(EMAIL_MAX)),
          name: Type.Optional(Text(NAME_MAX)),
          lang: Type.Optional(Text(5)),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20_000 },
    ),
    resend: Type.Optional(
      Type.Boolean({ description: 'Mail open enrollments a new link with a fresh lifetime' }),
    ),
    replace: Type.Optional(
      Type.Boolean({
        description: 'Enroll users who hold a token already; the new token replaces it once active',
      }),
    ),
    lifetime: Type.Optional(Lifetime),
  },
  { additionalProperties: false },
);

export const Enrollment = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    state: Type.String({ enum: ['open', 'done', 'expired', 'cancelled'] }),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    activationsUsed: Type.Integer(),
    tokenSerial: Type.Union([Type.String(), Type.Null()]),
    mail: Type.Union([
      Type.Object({ id: Type.String(), state: Type.String(), lastError: Type.String() }),
      Type.Null(),
    ]),
    link: Type.Optional(Type.String()),
    batch: Type.Union([Type.String(), Type.Null()], {
      description: 'The bulk run that started or last mailed it; null when started one by one',
    }),
  },
  { $id: 'Enrollment' },
);

const BulkRowOutcome = Type.Object({
  row: Type.Integer(),
  username: Type.String(),
  reason: Type.String(),
});

const Count = (description: string) => Type.Integer({ minimum: 0, description });

export const BulkSummary = Type.Object(
  {
    total: Count('Rows given'),
    sent: Count('Mails handed to the SMTP server'),
    stored: Count('Mails kept in the outbox (no SMTP configured)'),
    started: Count('New enrollments for users who had none'),
    resent: Count('Open enrollments mailed a new link with a fresh lifetime'),
    replaced: Count('New enrollments for users who hold a token already (replace)'),
    alreadyEnrolled: Count('Skipped: the user holds a token (see replace)'),
    openAlready: Count('Skipped: an enrollment is open already (see resend)'),
    skipped: Type.Array(
      Type.Composite([
        BulkRowOutcome,
        Type.Object({
          kind: Type.Union(SKIP_KINDS.map((kind) => Type.Literal(kind))),
        }),
      ]),
    ),
    failed: Type.Array(BulkRowOutcome),
  },
  { $id: 'BulkSummary' },
);

export const EnrollmentParams = Type.Object({ id: Text(64) });

export const Health = Type.Object(
  { status: Type.Literal('ok') },
  { $id: 'Health', additionalProperties: false },
);

const Check = <T extends string>(description: string, ...values: T[]) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { description },
  );

/** `/readyz`: each check with its outcome; ready only when all are `ok`. */
export const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
    checks: Type.Object(
      {
        database: Check('A trivial query is answered in time', 'ok', 'no answer', 'not checked'),
        migrations: Check(
          "The database has every migration of this server's version",
          'ok',
          'pending',
          'not checked',
        ),
        server: Check('The server is not stopping', 'ok', 'stopping'),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'Readiness', additionalProperties: false },
);

/**
 * The core states these answers as its own types (it may not import a face), so each
 * pair is tied here: `tsc` fails when a schema and the core's type stop accepting the
 * same values. (ActivationOffer has one source: its type is derived from its schema.)
 */
export type AnswersMatchTheCore = [
  Assert<Same<Static<typeof User>, CoreUser>>,
  Assert<Same<Static<typeof Token>, CoreToken>>,
  Assert<Same<Static<typeof AuditEvent>, CoreAuditEvent>>,
  Assert<Same<Static<typeof BulkSummary>, CoreBulkSummary>>,
];
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Assert<T extends true> = T;

/** The shapes `buildApp` registers (`app.addSchema`), so routes and the document share them. */
export const COMPONENTS = [
  ErrorBody,
  ValidateResult,
  User,
  Token,
  AuditEvent,
  ActivationOffer,
  ConfirmResult,
  Enrollment,
  BulkSummary,
  Health,
  Readiness,
];

/** `/auth/check`: headers only, for the reverse proxy to pass the request on or not. */
export const SessionCheckAnswers = answers(
  {
    200: Type.Null({
      description: 'A live portal session: the request may pass, with who it is',
      headers: {
        'X-Pforte-User': Type.String({ description: 'The username' }),
        'X-Pforte-Name': Type.String({ description: 'The display name, percent-encoded UTF-8' }),
        'X-Pforte-Email': Type.String({ description: 'The e-mail address, percent-encoded UTF-8' }),
      },
    }),
    401: Nothing('No live portal session: send the browser to /auth/signin'),
  },
  SERVER_FAULTS,
  { 503: 'The database does not answer (`ERR_DATABASE_UNAVAILABLE`)' },
);

/** `/auth/signin`: a redirect to the sign-in page. */
export const SignInRedirectAnswers = answers(
  {
    302: Type.Null({
      description:
        'To the sign-in page, with the address the proxy asked for to return to when it is one the portal may return to',
      headers: { Location: Type.String({ format: 'uri' }) },
    }),
  },
  [500],
);
