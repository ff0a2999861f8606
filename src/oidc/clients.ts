/**
 * The services that sign in with OpenID Connect: those in the configuration
 * (`PFORTE_OIDC_CLIENTS`, secrets read from their files at start) and those added with
 * `pforte oidc client add`, kept in the database with the secret sealed under the master
 * key, so every server process knows them without a restart. A client without a secret
 * is public (a single-page or native app): it must use PKCE with S256.
 */
import type { ClientMetadata } from 'oidc-provider';
import { ConfigSchema, type Config } from '../config/schema.js';
import { readSecret } from '../config/secret-file.js';
import type { Core } from '../context.js';
import { sealSecret, unsealSecret } from '../crypto/seal.js';
import { invalid, PforteError } from '../errors.js';
import { isNativeApp, logoutUriProblem, redirectUriProblem } from './redirect-uris.js';

export type OidcClientConfig = Config['oidc']['clients'][number];

/** What Pforte knows of a client, whichever way it came. */
export interface OidcClient {
  client_id: string;
  /** '' for a public client. */
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  name: string;
  /** The organisation's own service: no consent is asked. */
  first_party: boolean;
  grant_types: ('authorization_code' | 'refresh_token')[];
  backchannel_logout_uri: string;
  id_token_signed_response_alg: 'RS256' | 'ES256';
}

/** The part of a client that is stored as JSON (the secret is sealed apart). */
type StoredMetadata = Omit<OidcClient, 'client_id' | 'client_secret'>;

/** A secret the CLI generates: 256 bits, base64url. */
export const SECRET_BYTES = 32;

/** The configured clients with their secrets read from their files. */
export function configuredClients(config: Readonly<Config>): OidcClient[] {
  return config.oidc.clients.map(({ client_secret, client_secret_file, ...client }) => ({
    ...client,
    client_secret: readSecret(
      `OpenID client ${client.client_id}`,
      client_secret,
      client_secret_file,
    ),
  }));
}

/** The metadata oidc-provider takes for a client. */
export function providerMetadata(client: OidcClient): ClientMetadata {
  const isPublic = client.client_secret === '';
  return {
    client_id: client.client_id,
    ...(isPublic ? {} : { client_secret: client.client_secret }),
    client_name: client.name || client.client_id,
    application_type: isNativeApp(client.redirect_uris) ? 'native' : 'web',
    redirect_uris: client.redirect_uris,
    post_logout_redirect_uris: client.post_logout_redirect_uris,
    grant_types: client.grant_types,
    response_types: ['code'],
    token_endpoint_auth_method: isPublic ? 'none' : 'client_secret_basic',
    id_token_signed_response_alg: client.id_token_signed_response_alg,
    ...(client.backchannel_logout_uri
      ? { backchannel_logout_uri: client.backchannel_logout_uri }
      : {}),
    first_party: client.first_party,
  };
}

/** A client added by the CLI, as oidc-provider's Client adapter returns it. */
export async function findStoredClient(
  core: Core,
  clientId: string,
): Promise<ClientMetadata | undefined> {
  const client = await readStoredClient(core, clientId);
  return client ? providerMetadata(client) : undefined;
}

async function readStoredClient(core: Core, clientId: string): Promise<OidcClient | undefined> {
  if (clientId.length > 100) return undefined;
  const row = await core.store.db
    .selectFrom('oidc_clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (!row) return undefined;
  const metadata = JSON.parse(row.metadata) as StoredMetadata;
  const secret = row.sealed_secret
    ? unsealSecret(core.keyring, row.sealed_secret, secretContext(clientId)).toString()
    : '';
  return { client_id: clientId, client_secret: secret, ...metadata };
}

function secretContext(clientId: string): string {
  return `oidc-client/${clientId}`;
}

export interface NewOidcClient extends Omit<OidcClient, 'client_secret'> {
  /** A public client gets no secret. */
  public: boolean;
}

/** A configured client's limits (its id's pattern, how many URIs, how long) hold for added ones too. */
const LIMITS = ConfigSchema.properties.oidc.properties.clients.items.properties;
/** What a client id may be: as PFORTE_OIDC_CLIENTS allows it. */
export const CLIENT_ID = new RegExp(LIMITS.client_id.pattern!);
/** The most URIs of one kind a client has, and the longest one. */
export const MAX_URIS = LIMITS.redirect_uris.maxItems!;
export const MAX_URI_LENGTH = LIMITS.redirect_uris.items.maxLength!;

/** Every problem of a client to be added, in one refusal (ERR_VALIDATION). */
export function checkNewClient(client: NewOidcClient): void {
  const kind = { isPublic: client.public, native: isNativeApp(client.redirect_uris) };
  const toBrowser = (uri: string) => redirectUriProblem(uri, kind);
  const backchannel = client.backchannel_logout_uri ? [client.backchannel_logout_uri] : [];
  const problems = [
    CLIENT_ID.test(client.client_id)
      ? undefined
      : `client_id ${client.client_id} must be 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit`,
    client.redirect_uris.length === 0 ? 'at least one redirect URI is needed' : undefined,
    ...uriProblems('redirect URI', client.redirect_uris, LIMITS.redirect_uris.maxItems!, toBrowser),
    ...uriProblems(
      'post-logout redirect URI',
      client.post_logout_redirect_uris,
      LIMITS.post_logout_redirect_uris.maxItems!,
      toBrowser,
    ),
    ...uriProblems('back-channel logout URI', backchannel, 1, logoutUriProblem),
    client.name.length > LIMITS.name.maxLength!
      ? `the name is longer than ${LIMITS.name.maxLength} characters`
      : undefined,
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw invalid(problems.join('; '));
}

function uriProblems(
  label: string,
  uris: string[],
  max: number,
  problemOf: (uri: string) => string | undefined,
): (string | undefined)[] {
  return [
    uris.length > max ? `at most ${max} ${label}s` : undefined,
    ...uris.map((uri) => {
      const problem =
        uri.length > MAX_URI_LENGTH
          ? `is longer than ${MAX_URI_LENGTH} characters`
          : problemOf(uri);
      return problem && `${label} ${uri} ${problem}`;
    }),
  ];
}

/**
 * Stores a client (the CLI's `pforte oidc client add`) and returns it with its new
 * secret, which is shown once and kept only sealed. A client that `checkNewClient`
 * refuses, or whose id is configured or stored already, is refused and nothing stored.
 */
export async function addStoredClient(core: Core, client: NewOidcClient): Promise<OidcClient> {
  checkNewClient(client);
  const { public: isPublic, client_id, ...metadata } = client;
  if (core.config.oidc.clients.some((c) => c.client_id === client_id)) {
    throw new PforteError(
      'ERR_CONFLICT',
      `the client ${client_id} is in the configuration already`,
    );
  }
  const secret = isPublic ? '' : core.random.bytes(SECRET_BYTES).toString('base64url');
  const inserted = await core.store.db
    .insertInto('oidc_clients')
    .values({
      client_id,
      metadata: JSON.stringify(metadata satisfies StoredMetadata),
      sealed_secret: secret
        ? sealSecret(core.keyring, core.random, Buffer.from(secret), secretContext(client_id))
        : '',
      created_at: core.clock.now(),
    })
    .onConflict((oc) => oc.column('client_id').doNothing())
    .returning('client_id')
    .executeTakeFirst();
  if (!inserted) {
    throw new PforteError('ERR_CONFLICT', `a client ${client_id} exists already`);
  }
  return { client_id, client_secret: secret, ...metadata };
}

/** Removes a stored client; false when there was none. Its tokens stop working: each use finds the client first. */
export async function removeStoredClient(core: Core, clientId: string): Promise<boolean> {
  const removed = await core.store.db
    .deleteFrom('oidc_clients')
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

/** Every client, configured ones first, without secrets: for lists. */
export async function listClients(
  core: Core,
): Promise<
  (Omit<OidcClient, 'client_secret'> & { source: 'configuration' | 'database'; public: boolean })[]
> {
  const rows = await core.store.db
    .selectFrom('oidc_clients')
    .select(['client_id', 'metadata', 'sealed_secret'])
    .orderBy('client_id')
    .execute();
  return [
    ...core.config.oidc.clients.map(({ client_secret, client_secret_file, ...client }) => ({
      ...client,
      source: 'configuration' as const,
      public: !client_secret && !client_secret_file,
    })),
    ...rows.map((row) => ({
      client_id: row.client_id,
      ...(JSON.parse(row.metadata) as StoredMetadata),
      source: 'database' as const,
      public: row.sealed_secret === '',
    })),
  ];
}
