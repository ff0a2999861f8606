/**
 * One configured LDAP directory (OpenLDAP, Active Directory) through ldapts: a small pool
 * of connections bound as the service account for searches, the URLs tried in turn
 * (failover), TLS checked against the configured CA by default, and every operation
 * bounded by the configured timeouts so that no sign-in waits longer than that.
 *
 * Users are found with the configured filter, the username escaped per RFC 4515
 * (ldapts' `Filter.escape`), and their password is checked by binding as the DN the
 * search returned — never a DN built from input, and never with an empty password
 * (RFC 4513 section 5.1.2: that would be an unauthenticated bind, and succeed).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, Filter, InvalidCredentialsError, type Entry } from 'ldapts';
import type { Config } from '../config/schema.js';
import { classify, DirectoryError } from './errors.js';

export type DirectoryConfig = Config['directories'][number];

export interface DirectoryUser {
  dn: string;
  username: string;
  email: string;
  name: string;
  lang: string;
}

export class Directory {
  readonly name: string;
  /** Connections bound as the service account, for searches. */
  private readonly serviceIdle: Client[] = [];
  /** Connections for checking users' passwords: each bind replaces the one before. */
  private readonly bindIdle: Client[] = [];
  private readonly tls: ConnectionOptions;
  private readonly bindPassword: string;

  constructor(private readonly config: DirectoryConfig) {
    this.name = config.name;
    this.tls = {
      rejectUnauthorized: config.verifyCertificate,
      ...(config.caFile ? { ca: readFileSync(config.caFile) } : {}),
    };
    this.bindPassword = config.bindPasswordFile
      ? readFileSync(config.bindPasswordFile, 'utf8').trim()
      : config.bindPassword;
  }

  /** The one user the filter finds for `username`; undefined when there is none. */
  async findUser(username: string): Promise<DirectoryUser | undefined> {
    const users = await this.search(this.userFilter(username), 2);
    if (users.length > 1) {
      throw new DirectoryError('search_failed', this.name, `several entries match ${username}`);
    }
    return users[0];
  }

  /** The users a filter finds (bulk enrollment); `limit` bounds the answer. */
  async search(filter: string, limit = 0): Promise<DirectoryUser[]> {
    const { attributes } = this.config;
    return this.withServiceClient(async (client) => {
      const { searchEntries } = await client.search(this.config.baseDn, {
        scope: 'sub',
        filter,
        sizeLimit: limit,
        attributes: [attributes.username, attributes.email, attributes.name, attributes.lang],
      });
      return searchEntries.map((entry) => this.toUser(entry));
    });
  }

  /**
   * Whether `password` is the user's: a bind as their DN, on a connection kept for user
   * binds only (never used to search). Throws DirectoryError when the directory cannot
   * tell (down, slow, TLS).
   */
  async checkPassword(dn: string, password: string): Promise<boolean> {
    if (password === '') return false;
    return this.withConnection(this.bindIdle, false, async (client) => {
      try {
        await client.bind(dn, password);
        return true;
      } catch (error) {
        // A refused bind leaves the connection usable (RFC 4511 section 4.2.2).
        if (error instanceof InvalidCredentialsError) return false;
        throw error;
      }
    });
  }

  /** The user filter with the username escaped, so no input can widen the search. */
  userFilter(username: string): string {
    return this.config.userFilter.replaceAll('{username}', Filter.escape(username));
  }

  /**
   * Connects and binds as the service account, as a search would: the address that
   * answered. Throws DirectoryError saying what failed (`pforte directory test`).
   */
  async probe(): Promise<string> {
    const { client, url } = await this.open(true);
    await client.unbind().catch(() => undefined);
    return url;
  }

  async close(): Promise<void> {
    const clients = [...this.serviceIdle.splice(0), ...this.bindIdle.splice(0)];
    await Promise.all(clients.map((client) => client.unbind().catch(() => undefined)));
  }

  private withServiceClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    return this.withConnection(this.serviceIdle, true, work);
  }

  /**
   * Runs `work` on a kept connection, or a new one; keeps it afterwards while the pool
   * has room. A kept connection may have been closed by the server meanwhile: when work
   * on it fails, it is dropped and the work tried once more on a new connection.
   */
  private async withConnection<T>(
    pool: Client[],
    asService: boolean,
    work: (client: Client) => Promise<T>,
  ): Promise<T> {
    const kept = pool.pop();
    const client = kept ?? (await this.open(asService)).client;
    try {
      const result = await work(client);
      if (pool.length < this.config.poolSize) pool.push(client);
      else await client.unbind().catch(() => undefined);
      return result;
    } catch (error) {
      // A connection that failed once is not trusted again.
      await client.unbind().catch(() => undefined);
      const failure = classify(this.name, error, false);
      // A timeout is the directory, not the connection: trying again would wait twice.
      if (kept && failure.problem !== 'timeout') return this.withConnection(pool, asService, work);
      throw failure;
    }
  }

  /** A connection to the first address that answers, as the service account if asked. */
  private async open(asService: boolean): Promise<{ client: Client; url: string }> {
    let last: DirectoryError | undefined;
    for (const url of this.config.urls) {
      const client = new Client({
        url,
        timeout: this.config.timeoutMs,
        connectTimeout: this.config.connectTimeoutMs,
        // ldapts speaks TLS from the start whenever it is given TLS options: ldaps:// only.
        ...(url.startsWith('ldaps:') ? { tlsOptions: this.tls } : {}),
        strictDN: true,
      });
      try {
        if (this.config.startTls) {
          // On an open connection Node checks the certificate against `host`, which would
          // default to localhost: name the host the URL names.
          const host = new URL(url).hostname;
          await client.startTLS({ ...this.tls, host, ...(isIP(host) ? {} : { servername: host }) });
        }
        if (asService && this.config.bindDn)
          await client.bind(this.config.bindDn, this.bindPassword);
        return { client, url };
      } catch (error) {
        await client.unbind().catch(() => undefined);
        last = classify(this.name, error, asService);
        // Wrong service credentials are the same at every address.
        if (last.problem === 'service_credentials') throw last;
      }
    }
    throw last ?? new DirectoryError('cannot_connect', this.name, 'no address');
  }

  private toUser(entry: Entry): DirectoryUser {
    const { attributes } = this.config;
    const text = (name: string) => {
      const value = entry[name];
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined
        ? ''
        : Buffer.isBuffer(first)
          ? first.toString('utf8')
          : String(first);
    };
    return {
      dn: entry.dn,
      username: text(attributes.username),
      email: text(attributes.email),
      name: text(attributes.name),
      lang: text(attributes.lang),
    };
  }
}
