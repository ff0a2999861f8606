/**
 * The errors Pforte reports, each with a stable code and an HTTP status.
 *
 * The `message` is safe to show to whoever made the request; `detail` is for the
 * audit log and the server log only. Every code is documented in docs/errors.md,
 * and a test checks the list against this table both ways.
 */
export const ERROR_CODES = {
  ERR_VALIDATION: 400,
  ERR_BAD_JSON: 400,
  ERR_BODY_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_UNAUTHENTICATED: 401,
  ERR_FORBIDDEN: 403,
  ERR_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_CONFLICT: 409,
  ERR_TOKEN_STATE: 409,
  ERR_RESYNC_FAILED: 422,
  ERR_ENROLLMENT_STATE: 409,
  ERR_ENROLLMENT_CODE_INVALID: 404,
  ERR_ACTIVATION_INVALID: 404,
  ERR_ACTIVATION_PROOF: 400,
  ERR_ENROLLMENT_COMPLETED: 409,
  ERR_TOKEN_STATUS_REFUSED: 403,
  ERR_RATE_LIMITED: 429,
  ERR_TOO_MANY_ATTEMPTS: 429,
  ERR_DIRECTORY_UNAVAILABLE: 503,
  ERR_DATABASE_UNAVAILABLE: 503,
  ERR_CONFIG: 500,
  ERR_INTERNAL: 500,
  ERR_SHUTTING_DOWN: 503,
  ERR_START_FAILED: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PforteError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds until a retry may succeed (429 answers). */
  readonly retryAfter: number | undefined;
  /** Internal detail: never shown to the client. */
  readonly detail: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { detail?: string; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'PforteError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.retryAfter = options.retryAfter;
    this.detail = options.detail;
  }
}

export function invalid(message: string): PforteError {
  return new PforteError('ERR_VALIDATION', message);
}

export function notFound(what: string): PforteError {
  return new PforteError('ERR_NOT_FOUND', `${what} not found`);
}
