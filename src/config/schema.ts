/**
 * The configuration schema: every setting with its type, default, environment variable
 * and description. `load.ts` validates against it and `reference.ts` renders
 * docs/configuration.md from it, so the documentation cannot drift from the code.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Marks a schema node as a setting that an environment variable can override. */
function setting<T extends TSchema>(env: string, schema: T): T {
  return { ...schema, env };
}

const Minutes = (description: string, def: number, env: string) =>
  setting(env, Type.Integer({ minimum: 0, maximum: 525_600, default: def, description }));

/** A group's distinguished name, as the directory writes it (compared as DNs, not as text). */
const GROUP_DN = Type.String({ minLength: 3, maxLength: 500, pattern: '^[^=]+=' });

export const ConfigSchema = Type.Object(
  {
    dataDir: setting(
      'PFORTE_DATA_DIR',
      Type.String({
        minLength: 1,
        default: './data',
        description:
          'Folder for the embedded SQLite database and the generated master key file. Created on first start.',
      }),
    ),
    publicUrl: setting(
      'PFORTE_PUBLIC_URL',
      Type.String({
        default: 'http://localhost:8080',
        description:
          'The address users and services reach Pforte at (behind the reverse proxy). Used in e-mailed links and to decide on secure cookies.',
      }),
    ),
    server: Type.Object(
      {
        host: setting(
          'PFORTE_HOST',
          Type.String({ minLength: 1, default: 'localhost', description: 'Address to listen on.' }),
        ),
        port: setting(
          'PFORTE_PORT',
          Type.Integer({
            minimum: 0,
            maximum: 65535,
            default: 8080,
            description: 'TCP port to listen on (0 picks a free one).',
          }),
        ),
        trustProxy: setting(
          'PFORTE_TRUST_PROXY',
          Type.String({
            default: '',
            description:
              'Comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. Empty: the TCP peer is the client.',
          }),
        ),
        bodyLimitBytes: setting(
          'PFORTE_BODY_LIMIT_BYTES',
          Type.Integer({
            minimum: 1024,
            maximum: 10_485_760,
            default: 65_536,
            description: 'Largest request body accepted; larger ones get ERR_BODY_TOO_LARGE.',
          }),
        ),
        shutdownSeconds: setting(
          'PFORTE_SHUTDOWN_SECONDS',
          Type.Integer({
            minimum: 0,
            maximum: 3600,
            default: 10,
            description:
              'On SIGTERM, how long requests in progress may take to finish (/readyz answers 503 meanwhile, new requests get ERR_SHUTTING_DOWN); then their connections are closed and the number cut is logged. The process exits at most 5 s after that.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    database: Type.Object(
      {
        url: setting(
          'PFORTE_DATABASE_URL',
          Type.String({
            default: '',
            description:
              'A postgres:// URL selects PostgreSQL. Empty: SQLite in the data folder (pforte.sqlite).',
          }),
        ),
        poolSize: setting(
          'PFORTE_DATABASE_POOL_SIZE',
          Type.Integer({
            minimum: 1,
            maximum: 200,
            default: 10,
            description: 'PostgreSQL connections per server process.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    masterKey: setting(
      'PFORTE_MASTER_KEY',
      Type.String({
        default: '',
        secret: true,
        description:
          'The 256-bit key that seals token seeds, as 64 hex digits or base64. Empty: read (or, on first start, create) the key file `<dataDir>/master.key`, mode 0600.',
      }),
    ),
    masterKeysPrevious: setting(
      'PFORTE_MASTER_KEYS_PREVIOUS',
      Type.String({
        default: '',
        secret: true,
        description:
          'Other master keys this server holds, comma-separated, each 64 hex digits or base64: the keys before a rotation, so what is still sealed under them opens, or the next key before `pforte key rotate` makes it current (docs/key-rotation.md). Key files `<dataDir>/master-<key id>.key` count as well.',
      }),
    ),
    organisation: Type.Object(
      {
        name: setting(
          'PFORTE_ORGANISATION_NAME',
          Type.String({
            minLength: 1,
            maxLength: 100,
            default: 'Pforte',
            pattern: '^[^\\u0000-\\u001f\\u007f]*$',
            description: 'Shown to users and used as the issuer of tokens.',
          }),
        ),
        contact: setting(
          'PFORTE_ORGANISATION_CONTACT',
          Type.String({
            maxLength: 300,
            default: '',
            pattern: '^[^\\u0000-\\u001f\\u007f]*$',
            description:
              'Whom users should ask, shown in enrollment e-mails and pages (e.g. "IT-Service, +49 40 1234-0, it@example.org"). Empty: "your IT department".',
          }),
        ),
        colour: setting(
          'PFORTE_ORGANISATION_COLOUR',
          Type.String({
            default: '#1d4e89',
            pattern: '^#[0-9a-fA-F]{6}$',
            description:
              "The brand's colour, as #rrggbb: the bar of the pages, the portal, the e-mail and the authenticator app (its header and theme colour).",
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    directories: setting(
      'PFORTE_DIRECTORIES',
      Type.Array(
        Type.Object(
          {
            name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' }),
            urls: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
              minItems: 1,
              maxItems: 10,
            }),
            startTls: Type.Boolean({ default: false }),
            caFile: Type.String({ maxLength: 500, default: '' }),
            verifyCertificate: Type.Boolean({ default: true }),
            bindDn: Type.String({ maxLength: 500, default: '' }),
            bindPassword: Type.String({ maxLength: 500, default: '' }),
            bindPasswordFile: Type.String({ maxLength: 500, default: '' }),
            baseDn: Type.String({ minLength: 1, maxLength: 500 }),
            userFilter: Type.String({ maxLength: 500, default: '(uid={username})' }),
            attributes: Type.Object(
              {
                username: Type.String({ default: 'uid' }),
                email: Type.String({ default: 'mail' }),
                name: Type.String({ default: 'cn' }),
                lang: Type.String({ default: 'preferredLanguage' }),
                memberOf: Type.String({ default: 'memberOf' }),
              },
              { additionalProperties: false, default: {} },
            ),
            adminGroups: Type.Array(GROUP_DN, { maxItems: 50, default: [] }),
            helpdeskGroups: Type.Array(GROUP_DN, { maxItems: 50, default: [] }),
            groupMembership: Type.Union(
              [Type.Literal('member'), Type.Literal('memberOf'), Type.Literal('member-in-chain')],
              { default: 'member' },
            ),
            connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 3000 }),
            timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
            poolSize: Type.Integer({ minimum: 1, maximum: 20, default: 2 }),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 10,
          default: [],
          description:
            'LDAP / Active Directory user sources, tried in order after the users Pforte keeps itself (docs/directories.md). Each: name, urls (ldap:// or ldaps://, tried in turn), startTls, caFile, verifyCertificate (true), bindDn with bindPassword or bindPasswordFile, baseDn, userFilter ("(uid={username})", "(sAMAccountName={username})"), attributes (username, email, name, lang, memberOf), adminGroups and helpdeskGroups (group DNs whose members get the console role admin or helpdesk, read again at each sign-in; empty: roles are set by hand), groupMembership ("member": the groups are asked for member or uniqueMember = the user; "memberOf": the user entry’s memberOf attribute; "member-in-chain": Active Directory’s nested groups), connectTimeoutMs, timeoutMs, poolSize. In the environment a JSON list.',
        },
      ),
    ),
    portal: Type.Object(
      {
        name: setting(
          'PFORTE_PORTAL_NAME',
          Type.String({
            maxLength: 100,
            default: '',
            pattern: '^[^\\u0000-\\u001f\\u007f]*$',
            description:
              'The brand shown at the top of the sign-in portal. Empty: the organisation’s name, the one brand of the mail, the pages and the app.',
          }),
        ),
        url: setting(
          'PFORTE_PORTAL_URL',
          Type.String({
            maxLength: 500,
            default: '',
            description:
              'Where employees sign in, as pages, mails and the app name it ("sign in at …"): an http:// or https:// address. Empty: the portal of this server (publicUrl).',
          }),
        ),
        logoUrl: setting(
          'PFORTE_PORTAL_LOGO_URL',
          Type.String({
            maxLength: 500,
            default: '',
            description:
              'An image shown beside the brand: a path on this server (/assets/…) or an https:// address. Empty: none.',
          }),
        ),
        services: setting(
          'PFORTE_PORTAL_SERVICES',
          Type.Array(
            Type.Object(
              {
                name: Type.String({ minLength: 1, maxLength: 100 }),
                description: Type.String({ maxLength: 300, default: '' }),
                url: Type.String({ minLength: 1, maxLength: 500 }),
              },
              { additionalProperties: false },
            ),
            {
              maxItems: 100,
              default: [],
              description:
                'The services listed after sign-in (name, description, url). Their origins are the only places a sign-in may return to. In the environment a JSON list: [{"name":"Mail","url":"https://mail.example.org/"}].',
            },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    session: Type.Object(
      {
        idleMinutes: setting(
          'PFORTE_SESSION_IDLE_MINUTES',
          Type.Integer({
            minimum: 1,
            maximum: 1440,
            default: 30,
            description: 'A portal session ends after this many minutes without a request.',
          }),
        ),
        lifetimeHours: setting(
          'PFORTE_SESSION_LIFETIME_HOURS',
          Type.Integer({
            minimum: 1,
            maximum: 720,
            default: 8,
            description: 'A portal session ends this many hours after sign-in, however busy.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    console: Type.Object(
      {
        idleMinutes: setting(
          'PFORTE_CONSOLE_IDLE_MINUTES',
          Type.Integer({
            minimum: 1,
            maximum: 1440,
            default: 15,
            description:
              'The admin console asks an operator to sign in again after this many minutes without a request.',
          }),
        ),
        lifetimeHours: setting(
          'PFORTE_CONSOLE_LIFETIME_HOURS',
          Type.Integer({
            minimum: 1,
            maximum: 720,
            default: 8,
            description:
              'The admin console asks an operator to sign in again this many hours after sign-in, however busy.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    otp: Type.Object(
      {
        totpWindow: setting(
          'PFORTE_OTP_TOTP_WINDOW',
          Type.Integer({
            minimum: 0,
            maximum: 10,
            default: 1,
            description: 'TOTP time steps accepted before and after the current one.',
          }),
        ),
        hotpLookahead: setting(
          'PFORTE_OTP_HOTP_LOOKAHEAD',
          Type.Integer({
            minimum: 1,
            maximum: 1000,
            default: 10,
            description: 'HOTP counters tried after the last accepted one (RFC 4226 section 7.4).',
          }),
        ),
        hotpResyncWindow: setting(
          'PFORTE_OTP_HOTP_RESYNC_WINDOW',
          Type.Integer({
            minimum: 2,
            maximum: 10_000,
            default: 100,
            description: 'HOTP counters searched for two consecutive codes when resynchronising.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    lockout: Type.Object(
      {
        maxFailures: setting(
          'PFORTE_LOCKOUT_MAX_FAILURES',
          Type.Integer({
            minimum: 1,
            maximum: 1000,
            default: 10,
            description:
              'Consecutive wrong passcodes (made with the right password, or without one in OTP-only mode) that lock a token.',
          }),
        ),
        autoUnlockMinutes: Minutes(
          'Minutes after which a locked token unlocks by itself; 0 = only an administrator unlocks.',
          15,
          'PFORTE_LOCKOUT_AUTO_UNLOCK_MINUTES',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    temporaryAccess: Type.Object(
      {
        enabled: setting(
          'PFORTE_TEMPORARY_ACCESS_ENABLED',
          Type.Boolean({
            default: true,
            description:
              "Help-desk operators may issue a temporary code for a user whose phone is lost or broken; it goes in the Token Code field with the user's password.",
          }),
        ),
        defaultHours: setting(
          'PFORTE_TEMPORARY_ACCESS_DEFAULT_HOURS',
          Type.Integer({
            minimum: 1,
            maximum: 168,
            default: 8,
            description: 'Hours a temporary code works unless the operator says otherwise.',
          }),
        ),
        maxHours: setting(
          'PFORTE_TEMPORARY_ACCESS_MAX_HOURS',
          Type.Integer({
            minimum: 1,
            maximum: 720,
            default: 72,
            description: 'The longest an operator may let a temporary code work.',
          }),
        ),
        defaultUses: setting(
          'PFORTE_TEMPORARY_ACCESS_DEFAULT_USES',
          Type.Integer({
            minimum: 1,
            maximum: 1000,
            default: 10,
            description: 'Sign-ins a temporary code allows unless the operator says otherwise.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    backoff: Type.Object(
      {
        userFreeFailures: setting(
          'PFORTE_BACKOFF_USER_FREE_FAILURES',
          Type.Integer({
            minimum: 0,
            maximum: 1000,
            default: 3,
            description:
              'Failed sign-ins for one username from one address before each further attempt must wait (doubling each time).',
          }),
        ),
        userTotalFreeFailures: setting(
          'PFORTE_BACKOFF_USER_TOTAL_FREE_FAILURES',
          Type.Integer({
            minimum: 0,
            maximum: 100_000,
            default: 30,
            description:
              'Failed sign-ins for one username from places it never signed in from, all together, before each further attempt from such a place must wait (guessing spread over many addresses). Places where the user signed in before are not slowed down by it.',
          }),
        ),
        addressFreeFailures: setting(
          'PFORTE_BACKOFF_ADDRESS_FREE_FAILURES',
          Type.Integer({
            minimum: 0,
            maximum: 100_000,
            default: 20,
            description:
              'Failed sign-ins from one client address before it must wait (higher than per user: offices share addresses).',
          }),
        ),
        baseSeconds: setting(
          'PFORTE_BACKOFF_BASE_SECONDS',
          Type.Integer({
            minimum: 1,
            maximum: 3600,
            default: 1,
            description: 'The first wait; it doubles with each further failure.',
          }),
        ),
        maxSeconds: setting(
          'PFORTE_BACKOFF_MAX_SECONDS',
          Type.Integer({
            minimum: 1,
            maximum: 86_400,
            default: 300,
            description: 'The longest wait.',
          }),
        ),
        forgetMinutes: Minutes(
          'Minutes without a failure after which the count starts again.',
          15,
          'PFORTE_BACKOFF_FORGET_MINUTES',
        ),
        knownClientDays: setting(
          'PFORTE_BACKOFF_KNOWN_CLIENT_DAYS',
          Type.Integer({
            minimum: 1,
            maximum: 3650,
            default: 90,
            description:
              'Days a place where a user signed in (their client address, or the portal device cookie of their browser) stays known: failures from elsewhere never slow the user down there.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    rateLimit: Type.Object(
      {
        perMinute: setting(
          'PFORTE_RATE_LIMIT_PER_MINUTE',
          Type.Integer({
            minimum: 1,
            maximum: 10_000_000,
            default: 600,
            description:
              'Sign-in requests accepted per client address and minute, per server process; more get ERR_RATE_LIMITED.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    mail: Type.Object(
      {
        smtpUrl: setting(
          'PFORTE_SMTP_URL',
          Type.String({
            default: '',
            secret: true,
            description:
              'SMTP server, e.g. smtp://user:pass@mail.example.org:587 (STARTTLS when offered) or smtps://…:465. Empty: mail goes to the outbox in the database (`pforte outbox list`).',
          }),
        ),
        from: setting(
          'PFORTE_MAIL_FROM',
          Type.String({
            minLength: 3,
            maxLength: 300,
            default: 'Pforte <pforte@localhost>',
            pattern: '^[^\\u0000-\\u001f\\u007f]*$',
            description: 'The sender of the e-mails Pforte sends.',
          }),
        ),
        maxAttempts: setting(
          'PFORTE_MAIL_MAX_ATTEMPTS',
          Type.Integer({
            minimum: 1,
            maximum: 100,
            default: 8,
            description:
              'Attempts to deliver one message (waiting 1, 2, 4, … minutes between them) before it is marked failed.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    enrollment: Type.Object(
      {
        lifetimeDays: setting(
          'PFORTE_ENROLLMENT_LIFETIME_DAYS',
          Type.Integer({
            minimum: 1,
            maximum: 90,
            default: 7,
            description: 'How long an enrollment link can be used.',
          }),
        ),
        maxActivations: setting(
          'PFORTE_ENROLLMENT_MAX_ACTIVATIONS',
          Type.Integer({
            minimum: 1,
            maximum: 100,
            default: 5,
            description: 'Activations one enrollment code may start before it is spent.',
          }),
        ),
        activationMinutes: setting(
          'PFORTE_ENROLLMENT_ACTIVATION_MINUTES',
          Type.Integer({
            minimum: 1,
            maximum: 1440,
            default: 10,
            description: 'Minutes an activation has to be confirmed by the app.',
          }),
        ),
        allowStandardApps: setting(
          'PFORTE_ENROLLMENT_ALLOW_STANDARD_APPS',
          Type.Boolean({
            default: true,
            description:
              'Offer an otpauth:// QR code on the enrollment page for other authenticator apps (Google Authenticator, FreeOTP).',
          }),
        ),
        appTokenType: setting(
          'PFORTE_ENROLLMENT_APP_TOKEN_TYPE',
          Type.Union([Type.Literal('totp'), Type.Literal('hotp')], {
            default: 'totp',
            description:
              'The kind of token the Pforte Authenticator receives: time-based (totp, a new passcode every 30 s) or counter-based (hotp, a new passcode when the user asks). Other authenticator apps always get TOTP.',
          }),
        ),
        selfService: setting(
          'PFORTE_ENROLLMENT_SELF_SERVICE',
          Type.Boolean({
            default: true,
            description:
              'Employees may start an enrollment for themselves: "Send me a new link" on an expired link\'s page, "New phone" on the portal\'s My access page. The new link goes only to the registered e-mail address.',
          }),
        ),
        selfServicePerDay: setting(
          'PFORTE_ENROLLMENT_SELF_SERVICE_PER_DAY',
          Type.Integer({
            minimum: 1,
            maximum: 50,
            default: 3,
            description:
              'Self-service enrollment mails (new link, new phone) one user may ask for in 24 hours.',
          }),
        ),
        replaceTokens: setting(
          'PFORTE_ENROLLMENT_REPLACE_TOKENS',
          Type.Boolean({
            default: true,
            description:
              "Revoke the user's earlier tokens when the new one becomes active (new phone).",
          }),
        ),
        activationsPerMinute: setting(
          'PFORTE_ENROLLMENT_ACTIVATIONS_PER_MINUTE',
          Type.Integer({
            minimum: 1,
            maximum: 100_000,
            default: 30,
            description:
              'Requests that take an enrollment code (the enrollment page and its forms, starting an activation), together, per client address and minute, per process; confirming an activation has an allowance of its own.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    pin: Type.Object(
      {
        minLength: setting(
          'PFORTE_PIN_MIN_LENGTH',
          Type.Integer({
            minimum: 4,
            maximum: 12,
            default: 6,
            description: 'Shortest PIN the authenticator accepts.',
          }),
        ),
        maxLength: setting(
          'PFORTE_PIN_MAX_LENGTH',
          Type.Integer({
            minimum: 4,
            maximum: 16,
            default: 8,
            description: 'Longest PIN the authenticator accepts.',
          }),
        ),
        maxAttempts: setting(
          'PFORTE_PIN_MAX_ATTEMPTS',
          Type.Integer({
            minimum: 1,
            maximum: 20,
            default: 5,
            description: 'Wrong PINs after which the authenticator wipes the token.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    radius: Type.Object(
      {
        port: setting(
          'PFORTE_RADIUS_PORT',
          Type.Integer({
            minimum: -1,
            maximum: 65535,
            default: -1,
            description:
              'UDP port of the RADIUS server (RFC 2865) that `pforte serve` starts beside HTTP; 1812 is the usual one. -1: off; 0 picks a free one.',
          }),
        ),
        host: setting(
          'PFORTE_RADIUS_HOST',
          Type.String({
            minLength: 1,
            default: 'localhost',
            description: 'Address the RADIUS server listens on.',
          }),
        ),
        clients: setting(
          'PFORTE_RADIUS_CLIENTS',
          Type.Array(
            Type.Object(
              {
                name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' }),
                address: Type.String({ minLength: 2, maxLength: 50 }),
                secret: Type.String({ maxLength: 128, default: '' }),
                secretFile: Type.String({ maxLength: 500, default: '' }),
                mode: Type.Union(
                  [
                    Type.Literal('challenge'),
                    Type.Literal('password+passcode'),
                    Type.Literal('passcode'),
                  ],
                  { default: 'password+passcode' },
                ),
                requireMessageAuthenticator: Type.Boolean({ default: true }),
                lang: Type.Union([Type.Literal('de'), Type.Literal('en')], { default: 'de' }),
                class: Type.String({ maxLength: 253, default: '' }),
                requestsPerSecond: Type.Integer({ minimum: 1, maximum: 100_000, default: 200 }),
              },
              { additionalProperties: false },
            ),
            {
              maxItems: 200,
              default: [],
              description:
                'The devices that may ask (VPN gateways, Wi-Fi controllers, a FreeRADIUS proxy; docs/radius.md). Each: name, address (an IP or a CIDR range; requests from anywhere else are dropped), secret or secretFile (the shared secret, at least 16 characters), mode ("challenge": the password, then an Access-Challenge asks for the token code; "password+passcode": the passcode appended to the password; "passcode": the device checked the password itself), requireMessageAuthenticator (true; false only for a device that cannot send one, BlastRADIUS CVE-2024-3596), lang (the challenge prompt\'s language, "de"), class (a Class attribute for Access-Accept, e.g. a VPN profile; empty: none), requestsPerSecond (200). In the environment a JSON list.',
            },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    oidc: Type.Object(
      {
        clients: setting(
          'PFORTE_OIDC_CLIENTS',
          Type.Array(
            Type.Object(
              {
                client_id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }),
                client_secret: Type.String({ maxLength: 200, default: '' }),
                client_secret_file: Type.String({ maxLength: 500, default: '' }),
                redirect_uris: Type.Array(Type.String({ minLength: 8, maxLength: 2000 }), {
                  minItems: 1,
                  maxItems: 50,
                }),
                post_logout_redirect_uris: Type.Array(
                  Type.String({ minLength: 8, maxLength: 2000 }),
                  { maxItems: 50, default: [] },
                ),
                name: Type.String({ maxLength: 100, default: '' }),
                first_party: Type.Boolean({ default: false }),
                grant_types: Type.Array(
                  Type.Union([Type.Literal('authorization_code'), Type.Literal('refresh_token')]),
                  { minItems: 1, maxItems: 2, default: ['authorization_code'] },
                ),
                backchannel_logout_uri: Type.String({ maxLength: 2000, default: '' }),
                id_token_signed_response_alg: Type.Union(
                  [Type.Literal('RS256'), Type.Literal('ES256')],
                  { default: 'RS256' },
                ),
              },
              { additionalProperties: false },
            ),
            {
              maxItems: 500,
              default: [],
              description:
                'The services that sign in with OpenID Connect (docs/oidc.md). Each: client_id, client_secret or client_secret_file (none: a public client, which must use PKCE S256), redirect_uris, post_logout_redirect_uris, name (shown to the user), first_party (true: no consent asked), grant_types (add "refresh_token" for refresh tokens), backchannel_logout_uri, id_token_signed_response_alg ("RS256", the default of the standard, or "ES256"). In the environment a JSON list. `pforte oidc client add` stores further clients in the database.',
            },
          ),
        ),
        tokenMinutes: setting(
          'PFORTE_OIDC_TOKEN_MINUTES',
          Type.Integer({
            minimum: 1,
            maximum: 1440,
            default: 10,
            description: 'How long an OpenID Connect access token and ID token are valid.',
          }),
        ),
        refreshDays: setting(
          'PFORTE_OIDC_REFRESH_DAYS',
          Type.Integer({
            minimum: 1,
            maximum: 365,
            default: 14,
            description:
              'How long a refresh token is valid (each use gives a new one and ends the old one).',
          }),
        ),
        keyGraceDays: setting(
          'PFORTE_OIDC_KEY_GRACE_DAYS',
          Type.Integer({
            minimum: 1,
            maximum: 365,
            default: 7,
            description:
              'After `pforte oidc keys rotate`, how long the old signing keys stay in the published JWKS, so that tokens signed before still verify.',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    metrics: Type.Object(
      {
        port: setting(
          'PFORTE_METRICS_PORT',
          Type.Integer({
            minimum: -1,
            maximum: 65535,
            default: -1,
            description:
              'TCP port of a separate listener that serves only GET /metrics (Prometheus text format; docs/monitoring.md). -1: none; 0 picks a free one.',
          }),
        ),
        host: setting(
          'PFORTE_METRICS_HOST',
          Type.String({
            minLength: 1,
            default: 'localhost',
            description: 'Address the metrics listener listens on.',
          }),
        ),
        token: setting(
          'PFORTE_METRICS_TOKEN',
          Type.String({
            default: '',
            secret: true,
            description:
              'A bearer token of at least 16 characters: then GET /metrics is served on the main listener too, to `Authorization: Bearer <token>` only, and the metrics listener asks for it as well. Empty: /metrics is only on the metrics listener (404 on the main one).',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: setting(
          'PFORTE_LOG_LEVEL',
          Type.Union(
            ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) =>
              Type.Literal(l),
            ),
            { default: 'info', description: 'Least severe level written to the log (stdout).' },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
