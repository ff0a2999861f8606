/**
 * `pforte oidc …`: the services that sign in with OpenID Connect (clients added here are
 * kept in the database, their secret shown once and stored sealed) and the provider's
 * signing keys (docs/oidc.md). No list prints a secret.
 */
import { usageError, type Command, type CommandContext, type OptionValues } from '../command.js';
import { print, printJSON, printTable } from '../io.js';

const DAY_MS = 86_400_000;

export const oidcCommands: Command[] = [
  {
    name: 'oidc client add',
    summary: 'Register a service that signs in with OpenID Connect; its secret is shown only once',
    usage:
      '<client_id> --redirect-uri <uri> [--redirect-uri <uri> …] [--post-logout-redirect-uri <uri> …] [--name <text>] [--first-party] [--public] [--refresh-tokens] [--backchannel-logout-uri <uri>] [--id-token-alg RS256|ES256] [--json]',
    args: ['client_id'],
    help: [
      'Redirect URIs are absolute, without a fragment: https, or http on 127.0.0.1, [::1] or',
      'localhost only; a public client (a native app) may use a private-use scheme as well',
      "(com.example.app:/callback). --first-party: no consent is asked (the organisation's own",
      'service). --public: no secret, the client must use PKCE (S256). --refresh-tokens: the',
      'client gets refresh tokens. Every server knows the client at once, without a restart.',
    ].join('\n'),
    options: {
      'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true },
      name: { type: 'string' },
      'first-party': { type: 'boolean' },
      public: { type: 'boolean' },
      'refresh-tokens': { type: 'boolean' },
      'backchannel-logout-uri': { type: 'string' },
      'id-token-alg': { type: 'string' },
    },
    run: addClient,
  },
  {
    name: 'oidc client list',
    summary: 'List the OpenID clients, configured and added (never a secret)',
    usage: '[--json]',
    help: 'source: configuration (PFORTE_OIDC_CLIENTS) or database (pforte oidc client add).',
    async run(ctx) {
      const { listClients } = await import('../../oidc/clients.js');
      const clients = await listClients(await ctx.core());
      if (ctx.json) printJSON(ctx.io, clients);
      else {
        const rows = clients.map((client) => ({
          client_id: client.client_id,
          name: client.name,
          source: client.source,
          type: client.public ? 'public' : 'confidential',
          'first-party': client.first_party ? 'yes' : '',
          'redirect-uris': client.redirect_uris.join(' '),
        }));
        const columns = ['client_id', 'name', 'source', 'type', 'first-party', 'redirect-uris'];
        printTable(ctx.io, rows, columns, '(no OpenID clients)');
      }
      return 0;
    },
  },
  {
    name: 'oidc client remove',
    summary: 'Remove an OpenID client added with pforte oidc client add; its tokens stop working',
    usage: '<client_id>',
    args: ['client_id'],
    async run(ctx, _options, [clientId]) {
      const { PforteError } = await import('../../errors.js');
      if (ctx.config.oidc.clients.some((c) => c.client_id === clientId)) {
        throw new PforteError(
          'ERR_CONFLICT',
          `the client ${clientId} is in the configuration: remove it from PFORTE_OIDC_CLIENTS`,
        );
      }
      const { removeStoredClient } = await import('../../oidc/clients.js');
      const { recordAudit } = await import('../../audit/record.js');
      const core = await ctx.core();
      if (!(await removeStoredClient(core, clientId!))) {
        throw new PforteError(
          'ERR_NOT_FOUND',
          `there is no OpenID client ${clientId} (pforte oidc client list shows them)`,
        );
      }
      await recordAudit(core, ctx.caller, {
        action: 'oidc.client_remove',
        outcome: 'success',
        detail: { client: clientId! },
      });
      print(ctx.io, `removed OpenID client ${clientId}: its tokens stop working now`);
      return 0;
    },
  },
  {
    name: 'oidc keys list',
    summary: 'Show the signing keys of ID tokens: which signs, which are still published',
    usage: '[--json]',
    help: [
      'state: signing (the newest generation), published (retired, still in the JWKS for',
      'PFORTE_OIDC_KEY_GRACE_DAYS), expired (no longer published). Lists only: the server',
      'makes the first keys at its first start (or pforte oidc keys rotate now).',
    ].join('\n'),
    async run(ctx) {
      const { listSigningKeys } = await import('../../oidc/signing-keys.js');
      const keys = await listSigningKeys(await ctx.core());
      if (ctx.json) printJSON(ctx.io, keys);
      else if (keys.length === 0) {
        print(
          ctx.io,
          'no signing keys yet: the server makes them at its first start (pforte oidc keys rotate makes them now)',
        );
      } else {
        const columns = ['kid', 'alg', 'generation', 'state', 'createdAt', 'retiredAt'];
        printTable(ctx.io, keys as unknown as Record<string, unknown>[], columns);
      }
      return 0;
    },
  },
  {
    name: 'oidc keys rotate',
    summary: 'Sign ID tokens with new keys; the old ones stay published for the grace period',
    usage: '[--json]',
    help: [
      'Adds a generation of keys (ES256 and RS256) that signs from now on; every server takes it',
      'within 10 seconds. The keys before stay in the JWKS for PFORTE_OIDC_KEY_GRACE_DAYS, so',
      'tokens signed with them still verify at the services.',
    ].join('\n'),
    run: rotateKeys,
  },
];

async function addClient(
  ctx: CommandContext,
  options: OptionValues,
  [clientId]: string[],
): Promise<number> {
  const redirectUris = listOption(options, 'redirect-uri');
  if (redirectUris.length === 0) throw usageError('--redirect-uri is required');
  const { addStoredClient } = await import('../../oidc/clients.js');
  const { SIGNING_ALGORITHMS } = await import('../../oidc/signing-keys.js');
  const { recordAudit } = await import('../../audit/record.js');
  const alg = options['id-token-alg'] ?? 'RS256';
  const algorithm = SIGNING_ALGORITHMS.find((known) => known === alg);
  if (!algorithm) throw usageError(`--id-token-alg must be ${SIGNING_ALGORITHMS.join(' or ')}`);
  const isPublic = options.public === true;
  const core = await ctx.core();
  const added = await addStoredClient(core, {
    client_id: clientId!,
    public: isPublic,
    name: typeof options.name === 'string' ? options.name : '',
    redirect_uris: redirectUris,
    post_logout_redirect_uris: listOption(options, 'post-logout-redirect-uri'),
    first_party: options['first-party'] === true,
    grant_types:
      options['refresh-tokens'] === true
        ? ['authorization_code', 'refresh_token']
        : ['authorization_code'],
    backchannel_logout_uri:
      typeof options['backchannel-logout-uri'] === 'string'
        ? options['backchannel-logout-uri']
        : '',
    id_token_signed_response_alg: algorithm,
  });
  await recordAudit(core, ctx.caller, {
    action: 'oidc.client_add',
    outcome: 'success',
    detail: {
      client: added.client_id,
      name: added.name,
      public: isPublic,
      first_party: added.first_party,
    },
  });
  const issuer = ctx.config.publicUrl.replace(/\/+$/, '');
  const discovery = `${issuer}/.well-known/openid-configuration`;
  if (ctx.json) {
    printJSON(ctx.io, { ...added, public: isPublic, issuer, discovery });
    return 0;
  }
  const lines = [
    `added OpenID client ${added.client_id} (${isPublic ? 'public: no secret, it must use PKCE with S256' : 'confidential'})`,
    `issuer:     ${issuer}`,
    `discovery:  ${discovery}`,
    ...(isPublic
      ? []
      : [
          `secret:     ${added.client_secret}`,
          "The secret is shown only now: copy it into the service's settings. Pforte keeps it sealed and cannot show it again.",
        ]),
  ];
  print(ctx.io, lines.join('\n'));
  return 0;
}

async function rotateKeys(ctx: CommandContext): Promise<number> {
  const { listSigningKeys, rotateSigningKeys } = await import('../../oidc/signing-keys.js');
  const { recordAudit } = await import('../../audit/record.js');
  const core = await ctx.core();
  const generation = await rotateSigningKeys(core);
  await recordAudit(core, ctx.caller, {
    action: 'oidc.keys_rotate',
    outcome: 'success',
    detail: { generation },
  });
  const graceDays = ctx.config.oidc.keyGraceDays;
  // The first generation retires nothing.
  const retiredUntil =
    generation > 1 ? new Date(core.clock.now() + graceDays * DAY_MS).toISOString() : null;
  const keys = await listSigningKeys(core);
  if (ctx.json) {
    printJSON(ctx.io, { generation, graceDays, retiredPublishedUntil: retiredUntil, keys });
    return 0;
  }
  const kids = keys.filter((k) => k.generation === generation).map((k) => k.kid);
  print(
    ctx.io,
    `generation ${generation} signs from now on (${kids.join(', ')}); every server takes it within 10 s`,
  );
  if (retiredUntil) {
    print(
      ctx.io,
      `the keys before stay published in the JWKS for ${graceDays} days (PFORTE_OIDC_KEY_GRACE_DAYS), until ${retiredUntil}`,
    );
  }
  return 0;
}

function listOption(options: OptionValues, name: string): string[] {
  const value = options[name];
  return Array.isArray(value) ? value : [];
}
