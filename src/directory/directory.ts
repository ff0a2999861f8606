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
import { PforteError } from '../errors.js';
import { ConnectionPool } from './connections.js';
import { classify, DirectoryError } from './errors.js';
import { groupMatches, listsGroup, memberFilter } from './groups.js';

export type DirectoryConfig = Config['directories'][number];

export interface DirectoryUser {
  dn: string;
  username: string;
  email: string;
  name: string;
  lang: string;
  /** The entry's memberOf values: read only where group roles are read from them (groups.ts). */
  groups?: string[];
}

export class Directory {
  readonly name: string;
  /** Connections bound as the service account, for searches. */
  private readonly searches: ConnectionPool;
  /** Connections for checking users' passwords: each bind replaces the one before. */
  private readonly binds: ConnectionPool;
  /** Read from their files when first needed: a command that never asks the directory does not read them. */
  private secrets: { tls: ConnectionOptions; bindPassword: string } | undefined;

  constructor(readonly config: DirectoryConfig) {
    this.name = config.name;
    const { poolSize, timeoutMs } = config;
    this.searches = new ConnectionPool(
      config.name,
      poolSize,
      timeoutMs,
      async () => (await this.open(true)).client,
      Boolean(config.bindDn),
    );
    this.binds = new ConnectionPool(
      config.name,
      poolSize,
      timeoutMs,
      async () => (await this.open(false)).client,
      false,
    );
  }

  /** The one user the filter finds for `username`; undefined when there is none. */
  async findUser(username: string): Promise<DirectoryUser | undefined> {
    const users = await this.search(this.userFilter(username), 2);
    if (users.length > 1) {
      throw new DirectoryError('search_failed', this.name, `several entries match ${username}`);
    }
    return users[0];
  }

  /**
   * Everyone an administrator's filter finds among the users the user filter allows
   * (a disabled account stays out), page by page (Active Directory answers 1000 at most
   * at once).
   */
  async findUsers(filter: string): Promise<DirectoryUser[]> {
    if (!/^\(.*\)$/.test(filter)) {
      throw new PforteError('ERR_VALIDATION', 'the LDAP filter must be in parentheses');
    }
    const users = this.config.userFilter.replaceAll('{username}', () => '*');
    return this.search(`(&${users}${filter})`, 0, true);
  }

  /** The users a filter finds; `limit` bounds the answer. */
  async search(filter: string, limit = 0, paged = false): Promise<DirectoryUser[]> {
    const { attributes } = this.config;
    return this.withServiceClient(async (client) => {
      const { searchEntries } = await client.search(this.config.baseDn, {
        scope: 'sub',
        filter,
        sizeLimit: limit,
        ...(paged ? { paged: { pageSize: 500 } } : {}),
        attributes: [
          attributes.username,
          attributes.email,
          attributes.name,
          attributes.lang,
          ...(this.readsMemberOf ? [attributes.memberOf] : []),
        ],
      });
      return searchEntries.map((entry) => this.toUser(entry));
    });
  }

  /**
   * The names of the user's groups, from the entry's memberOf (the first value of each
   * group DN: `cn=staff,ou=groups,…` gives `staff`), for the OpenID `groups` claim; []
   * when the directory keeps no memberOf.
   */
  async groupNames(username: string): Promise<string[]> {
    const { memberOf } = this.config.attributes;
    return this.withServiceClient(async (client) => {
      const { searchEntries } = await client.search(this.config.baseDn, {
        scope: 'sub',
        filter: this.userFilter(username),
        sizeLimit: 2,
        attributes: [memberOf],
      });
      if (searchEntries.length !== 1) return [];
      const value = searchEntries[0]![memberOf];
      const dns = Array.isArray(value) ? value : value === undefined ? [] : [value];
      return dns.map((dn) => firstRdnValue(Buffer.isBuffer(dn) ? dn.toString('utf8') : String(dn)));
    });
  }

  /** Whether the directory gives console roles by group membership (adminGroups, helpdeskGroups). */
  get givesRoles(): boolean {
    return this.config.adminGroups.length > 0 || this.config.helpdeskGroups.length > 0;
  }

  /**
   * Whether the user is in one of `groups`, asked as the directory is configured to
   * (groups.ts): from the entry already read, or one base-scope search per group.
   */
  async inGroup(user: DirectoryUser, groups: readonly string[]): Promise<boolean> {
    if (groups.length === 0) return false;
    const how = this.config.groupMembership;
    if (how === 'memberOf') return listsGroup(user.groups ?? [], groups);
    const filter = memberFilter(how, user.dn);
    return this.withServiceClient(async (client) => {
      for (const group of groups) if (await groupMatches(client, group, filter)) return true;
      return false;
    });
  }

  /**
   * Whether `password` is the user's: a bind as their DN, on a connection kept for user
   * binds only (never used to search). Throws DirectoryError when the directory cannot
   * tell (down, slow, TLS).
   */
  async checkPassword(dn: string, password: string): Promise<boolean> {
    if (password === '') return false;
    return this.binds.run(async (client) => {
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
    // A function: `$&` and its kin in the value are not replacement patterns.
    return this.config.userFilter.replaceAll('{username}', () => Filter.escape(username));
  }

  /**
   * Connects and binds as the service account, as a search would: the address that
   * answered. Throws DirectoryError saying what failed (`pforte directory test`).
   */
  async probe(): Promise<string> {
    let answered = '';
    await new ConnectionPool(
      this.name,
      1,
      this.config.timeoutMs,
      async () => {
        const { client, url } = await this.open(true);
        answered = url;
        return client;
      },
      false,
    ).run(async (client) => {
      // A search proves what the sign-in needs: the service account may read the base.
      await client.search(this.config.baseDn, { scope: 'base', attributes: ['1.1'] });
    });
    return answered;
  }

  async close(): Promise<void> {
    await Promise.all([this.searches.close(), this.binds.close()]);
  }

  /** Searches read memberOf only when roles come from it: no sign-in reads more than it needs. */
  private get readsMemberOf(): boolean {
    return this.givesRoles && this.config.groupMembership === 'memberOf';
  }

  private withServiceClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    return this.searches.run(work);
  }

  private readSecrets(): { tls: ConnectionOptions; bindPassword: string } {
    if (this.secrets) return this.secrets;
    const { config } = this;
    const read = (file: string) => {
      try {
        return readFileSync(file);
      } catch (error) {
        const reason = (error as Error).message;
        throw new DirectoryError('files_unreadable', this.name, `${file}: ${reason}`);
      }
    };
    const bindPassword = config.bindPasswordFile
      ? read(config.bindPasswordFile).toString('utf8').trim()
      : config.bindPassword;
    // An empty password would make an unauthenticated bind (RFC 4513 section 5.1.2).
    if (config.bindDn && bindPassword === '') {
      throw new DirectoryError('service_credentials', this.name, 'the bind password is empty');
    }
    const tls = {
      rejectUnauthorized: config.verifyCertificate,
      ...(config.caFile ? { ca: read(config.caFile) } : {}),
    };
    this.secrets = { tls, bindPassword };
    return this.secrets;
  }

  /** A connection to the first address that answers, as the service account if asked. */
  private async open(asService: boolean): Promise<{ client: Client; url: string }> {
    const { tls, bindPassword } = this.readSecrets();
    let last: DirectoryError | undefined;
    for (const url of this.config.urls) {
      const client = new Client({
        url,
        timeout: this.config.timeoutMs,
        connectTimeout: this.config.connectTimeoutMs,
        // ldapts speaks TLS from the start whenever it is given TLS options: ldaps:// only.
        ...(url.startsWith('ldaps:') ? { tlsOptions: tls } : {}),
        strictDN: true,
      });
      try {
        if (this.config.startTls) {
          // On an open connection Node checks the certificate against `host`, which would
          // default to localhost: name the host the URL names.
          const host = new URL(url).hostname;
          await client.startTLS({ ...tls, host, ...(isIP(host) ? {} : { servername: host }) });
        }
        if (asService && this.config.bindDn) await client.bind(this.config.bindDn, bindPassword);
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
    const all = (name: string) => {
      const value = entry[name];
      return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((one) =>
        Buffer.isBuffer(one) ? one.toString('utf8') : String(one),
      );
    };
    return {
      dn: entry.dn,
      username: text(attributes.username),
      email: text(attributes.email),
      name: text(attributes.name),
      lang: text(attributes.lang),
      ...(this.readsMemberOf ? { groups: all(attributes.memberOf) } : {}),
    };
  }
}

/**
 * `cn=Staff\, Berlin,ou=groups` gives `Staff, Berlin`: the value of a DN's first part,
 * unescaped (RFC 4514 section 2.4; `\c3\a4` is the UTF-8 of `ä`).
 */
function firstRdnValue(dn: string): string {
  const match = /^[^=]+=((?:\\.|[^,+\\])*)/.exec(dn);
  const raw = match ? match[1]!.trim() : dn;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const hex = raw[i] === '\\' ? /^[0-9a-fA-F]{2}/.exec(raw.slice(i + 1)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      const char = raw[i] === '\\' ? (raw[++i] ?? '') : raw[i]!;
      bytes.push(...Buffer.from(char));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
