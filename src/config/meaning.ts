/**
 * The rules the schema's types cannot say (an address that must parse, two settings that
 * must agree). Each rule names the settings it reads, so that a setting with a type
 * problem only skips the rules that read it: port `abc` and a short master key are both
 * reported, in one run.
 */
import { isIP } from 'node:net';
import type { Config } from './schema.js';

/** A problem at a setting's path; `message` follows the path ("must be …" or ": …"). */
export interface Problem {
  path: string;
  message: string;
}

interface Rule {
  /** Dotted paths of the settings the rule reads. */
  reads: string[];
  check(config: Config): Problem[];
}

/** The fastify (proxy-addr) names for address ranges that we let PFORTE_TRUST_PROXY use. */
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

const RULES: Rule[] = [
  {
    reads: ['publicUrl'],
    check: ({ publicUrl }) => {
      const url = parseUrl(publicUrl);
      return !url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash
        ? [problem('publicUrl', 'must be an http:// or https:// address without query or fragment')]
        : [];
    },
  },
  {
    reads: ['server.host'],
    check: ({ server }) =>
      isIP(server.host) || isHostName(server.host)
        ? []
        : [
            problem(
              'server.host',
              'must be an IP address (127.0.0.1, ::1, 0.0.0.0) or a host name, without brackets or port',
            ),
          ],
  },
  {
    reads: ['server.trustProxy'],
    check: ({ server }) => {
      const wrong = splitList(server.trustProxy).filter((entry) => !isTrustProxyEntry(entry));
      return wrong.length === 0
        ? []
        : [
            problem(
              'server.trustProxy',
              `must be IP addresses or CIDR ranges (10.0.0.0/8), or ${TRUST_PROXY_NAMES.join(', ')}, separated by commas: ${wrong.map((w) => JSON.stringify(w)).join(', ')} ${wrong.length === 1 ? 'is' : 'are'} none of these`,
            ),
          ];
    },
  },
  optionalUrlRule(
    'database.url',
    ['postgres:', 'postgresql:'],
    'a postgres:// URL, or empty for SQLite',
  ),
  {
    reads: ['masterKey'],
    check: ({ masterKey }) =>
      masterKey && !decodeMasterKeyText(masterKey)
        ? [problem('masterKey', 'must be 32 bytes written as 64 hex digits or base64')]
        : [],
  },
  {
    reads: ['masterKeysPrevious'],
    check: ({ masterKeysPrevious }) =>
      masterKeysPrevious
        .split(',')
        .map((entry) => entry.trim())
        .some((entry) => entry !== '' && !decodeMasterKeyText(entry))
        ? [
            problem(
              'masterKeysPrevious',
              'must be keys of 32 bytes, each 64 hex digits or base64, separated by commas',
            ),
          ]
        : [],
  },
  optionalUrlRule(
    'mail.smtpUrl',
    ['smtp:', 'smtps:'],
    'an smtp:// or smtps:// URL, or empty for the outbox',
  ),
  { reads: ['directories'], check: ({ directories }) => checkDirectories(directories) },
  {
    reads: ['portal.services'],
    check: ({ portal }) =>
      portal.services.flatMap((service, i) => {
        const address = parseUrl(service.url);
        return !address || !['http:', 'https:'].includes(address.protocol)
          ? [problem(`portal.services[${i}].url`, 'must be an http:// or https:// address')]
          : [];
      }),
  },
  {
    reads: ['radius.host'],
    check: ({ radius }) =>
      isIP(radius.host) || isHostName(radius.host)
        ? []
        : [problem('radius.host', 'must be an IP address or a host name')],
  },
  {
    reads: ['metrics.host'],
    check: ({ metrics }) =>
      isIP(metrics.host) || isHostName(metrics.host)
        ? []
        : [problem('metrics.host', 'must be an IP address or a host name')],
  },
  {
    reads: ['metrics.token'],
    check: ({ metrics: { token } }) =>
      token && !/^[\x21-\x7e]{16,200}$/.test(token)
        ? [problem('metrics.token', 'must be 16 to 200 characters without spaces')]
        : [],
  },
  {
    reads: ['radius.clients'],
    check: ({ radius }) =>
      radius.clients.flatMap((client, i) => [
        ...radiusClientProblems(client, i),
        ...(radius.clients.findIndex((other) => other.name === client.name) < i
          ? [problem(`radius.clients[${i}].name`, `: ${client.name} is named twice`)]
          : []),
      ]),
  },
  {
    reads: ['portal.url'],
    check: ({ portal: { url } }) =>
      url && !['http:', 'https:'].includes(parseUrl(url)?.protocol ?? '')
        ? [problem('portal.url', 'must be an http:// or https:// address')]
        : [],
  },
  {
    reads: ['portal.logoUrl'],
    check: ({ portal: { logoUrl: logo } }) =>
      logo && !/^\/[^/\\]/.test(logo) && parseUrl(logo)?.protocol !== 'https:'
        ? [problem('portal.logoUrl', 'must be a path on this server (/…) or an https:// address')]
        : [],
  },
  {
    reads: ['pin.minLength', 'pin.maxLength'],
    check: ({ pin }) =>
      pin.maxLength < pin.minLength
        ? [problem('pin.maxLength', 'must be at least pin.minLength')]
        : [],
  },
  {
    reads: ['backoff.baseSeconds', 'backoff.maxSeconds'],
    check: ({ backoff }) =>
      backoff.maxSeconds < backoff.baseSeconds
        ? [problem('backoff.maxSeconds', 'must be at least backoff.baseSeconds')]
        : [],
  },
];

/** A setting that is empty or a URL of one of `protocols`. */
function optionalUrlRule(path: string, protocols: string[], what: string): Rule {
  return {
    reads: [path],
    check: (config) => {
      const text = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config) as string;
      const url = text ? parseUrl(text) : undefined;
      return text && (!url || !protocols.includes(url.protocol))
        ? [problem(path, `must be ${what}`)]
        : [];
    },
  };
}

/** Every rule whose settings have no type problem (`badPaths`), on the loaded values. */
export function checkMeaning(config: Config, badPaths: readonly string[]): Problem[] {
  const touches = (a: string, b: string) =>
    a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  return RULES.filter(
    (rule) => !rule.reads.some((r) => badPaths.some((bad) => touches(r, bad))),
  ).flatMap((rule) => rule.check(config));
}

function checkDirectories(directories: Config['directories']): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  directories.forEach((directory, i) => {
    const at = `directories[${i}]`;
    if (names.has(directory.name))
      problems.push(problem(`${at}.name`, `: ${JSON.stringify(directory.name)} is used twice`));
    names.add(directory.name);
    for (const text of directory.urls) {
      const address = parseUrl(text);
      if (!address || !['ldap:', 'ldaps:'].includes(address.protocol)) {
        problems.push(problem(`${at}.urls`, 'must be ldap:// or ldaps:// addresses'));
      } else if (directory.startTls && address.protocol === 'ldaps:') {
        problems.push(problem(at, ': startTls is for ldap:// addresses; ldaps:// is TLS already'));
      }
    }
    const placeholders = directory.userFilter.split('{username}').length - 1;
    if (placeholders < 1 || !/^\(.*\)$/.test(directory.userFilter)) {
      problems.push(
        problem(`${at}.userFilter`, 'must be a parenthesised filter with {username} in it'),
      );
    }
    if (directory.bindDn && !directory.bindPassword && !directory.bindPasswordFile) {
      // An empty password would make an unauthenticated bind (RFC 4513 section 5.1.2).
      problems.push(problem(at, ': bindDn needs bindPassword or bindPasswordFile'));
    }
    if (directory.bindPassword && directory.bindPasswordFile) {
      problems.push(problem(at, ': give bindPassword or bindPasswordFile, not both'));
    }
  });
  return problems;
}

/** A 32-byte key from 64 hex digits or base64; undefined when it is neither. */
export function decodeMasterKeyText(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed, 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}

/** The comma-separated entries of PFORTE_TRUST_PROXY, as app.ts hands them to fastify. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function isTrustProxyEntry(entry: string): boolean {
  if (TRUST_PROXY_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
/** A RADIUS client's address, secret and name: what the schema's types cannot say. */
function radiusClientProblems(client: Config['radius']['clients'][number], i: number): Problem[] {
  const at = `radius.clients[${i}]`;
  const problems: Problem[] = [];
  if (!isAddressOrRange(client.address)) {
    problems.push(problem(`${at}.address`, 'must be an IP address or a CIDR range (10.0.0.0/8)'));
  }
  if (client.secret && client.secretFile) {
    problems.push(problem(at, ': give secret or secretFile, not both'));
  } else if (!client.secret && !client.secretFile) {
    problems.push(problem(at, ': needs secret or secretFile'));
  } else if (client.secret && client.secret.length < 16) {
    // RFC 2865 section 3 asks for at least 16 octets; shorter secrets fall to offline guessing.
    problems.push(problem(`${at}.secret`, 'must be at least 16 characters'));
  }
  return problems;
}

/** `10.1.2.3`, `::1`, `10.0.0.0/8` or `fd00::/8`. */
function isAddressOrRange(text: string): boolean {
  const [address = '', bits, extra] = text.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function isHostName(text: string): boolean {
  const label = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
  return text.length <= 253 && new RegExp(`^${label}(?:\\.${label})*\\.?$`).test(text);
}

function problem(path: string, message: string): Problem {
  return { path, message };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
