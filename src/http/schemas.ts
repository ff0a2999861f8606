/**
 * The shapes of the REST API, as TypeBox schemas: Fastify validates requests with
 * them (unknown fields refused), and the OpenAPI document is generated from them.
 * They bound sizes and types; the meaning of each field is the core's to check.
 */
import { Type, type TSchema } from '@sinclair/typebox';

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

export const Username = Text(64, 'Lower-case ASCII: letters, digits and . _ @ + -');

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code, listed in docs/errors.md' }),
      message: Type.String(),
    }),
  },
  { $id: 'Error' },
);

export const ValidateBody = Type.Object(
  {
    username: Username,
    password: Type.Optional(
      Text(1024, 'Omit to check the passcode alone (the service checked the password itself).'),
    ),
    otp: Text(16, 'The passcode: 6 or 8 digits.'),
    clientAddress: Type.Optional(
      Text(
        45,
        "The end user's IP address. Pass it: without it there is no per-address back-off, and the rate limit counts the whole service as one address.",
      ),
    ),
  },
  { additionalProperties: false },
);

export const ValidateResult = Type.Object({
  result: Type.Union([Type.Literal('accept'), Type.Literal('reject')]),
});

export const User = Type.Object({
  username: Type.String(),
  email: Type.String(),
  name: Type.String(),
  lang: Type.String(),
  disabled: Type.Boolean(),
  hasPassword: Type.Boolean(),
  directory: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const NewUserBody = Type.Object(
  {
    username: Username,
    email: Text(254),
    name: Type.Optional(Text(100)),
    lang: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
    password: Type.Optional(Text(1024)),
  },
  { additionalProperties: false },
);

export const UserChangesBody = Type.Object(
  {
    email: Type.Optional(Text(254)),
    name: Type.Optional(Text(100)),
    lang: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordBody = Type.Object({ password: Text(1024) }, { additionalProperties: false });

export const Token = Type.Object({
  serial: Type.String(),
  username: Type.String(),
  type: Type.String({ enum: ['totp', 'hotp'] }),
  algorithm: Type.String({ enum: ['SHA1', 'SHA256', 'SHA512'] }),
  digits: Type.Integer(),
  period: Type.Optional(Type.Integer()),
  counter: Type.Optional(Type.Integer()),
  state: Type.String({ enum: ['pending', 'active', 'disabled', 'locked', 'revoked'] }),
  failCount: Type.Integer(),
  lockedUntil: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  description: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

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
  { code1: Text(16), code2: Text(16) },
  { additionalProperties: false },
);

export const SerialParams = Type.Object({ serial: Text(64) });
export const UsernameParams = Type.Object({ username: Text(256) });

export const AuditEvent = Type.Object({
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
});

export const AuditQuery = Type.Object(
  {
    username: Type.Optional(Text(256)),
    since: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    limit: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,2}$|^1000$', description: '1 to 1000; default 100' }),
    ),
    before: Type.Optional(
      Type.String({
        pattern: '^[1-9][0-9]{0,14}$',
        description: 'Only events with a smaller id (the next page)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The answers every authenticated route may give besides its own. */
export function withErrors(responses: Record<number, TSchema>): Record<number, TSchema> {
  return { ...responses, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
}

export const ActivationBody = Type.Object(
  {
    code: Text(100, 'The enrollment string (case, hyphens and spaces are ignored).'),
    publicKey: Text(100, "The app's ECDH P-256 public key: 65-byte uncompressed point, base64url."),
  },
  { additionalProperties: false },
);

export const ActivationOffer = Type.Object({
  activationId: Type.String(),
  publicKey: Type.String(),
  salt: Type.String(),
  token: Type.Object({
    serial: Type.String(),
    type: Type.Union([Type.Literal('totp'), Type.Literal('hotp')]),
    algorithm: Type.String(),
    digits: Type.Integer(),
    period: Type.Optional(Type.Integer({ description: 'TOTP: seconds per passcode' })),
    counter: Type.Optional(
      Type.Integer({ description: 'HOTP: the counter of the first passcode' }),
    ),
    issuer: Type.String(),
    label: Type.String(),
  }),
  pin: Type.Object({
    minLength: Type.Integer(),
    maxLength: Type.Integer(),
    maxAttempts: Type.Integer(),
  }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const ConfirmBody = Type.Object(
  { proof: Text(100, 'base64url(HMAC-SHA-256(seed, "pforte/confirm/v1|" + activationId))') },
  { additionalProperties: false },
);

export const ConfirmResult = Type.Object({
  serial: Type.String(),
  state: Type.Literal('active'),
});

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

export const BulkEnrollmentBody = Type.Object(
  {
    rows: Type.Array(
      Type.Object(
        {
          username: Text(256),
          email: Type.Optional(Text(254)),
          name: Type.Optional(Text(100)),
          lang: Type.Optional(Text(5)),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20_000 },
    ),
    resend: Type.Optional(Type.Boolean()),
    lifetime: Type.Optional(Lifetime),
  },
  { additionalProperties: false },
);

export const Enrollment = Type.Object({
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
});

export const BulkSummary = Type.Object({
  total: Type.Integer(),
  sent: Type.Integer(),
  stored: Type.Integer(),
  skipped: Type.Array(
    Type.Object({ row: Type.Integer(), username: Type.String(), reason: Type.String() }),
  ),
  failed: Type.Array(
    Type.Object({ row: Type.Integer(), username: Type.String(), reason: Type.String() }),
  ),
});

export const EnrollmentParams = Type.Object({ id: Text(64) });
