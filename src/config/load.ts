/**
 * Loading the configuration: an optional JSON file, then PFORTE_* environment variables
 * over it, then the schema's defaults. Every problem is reported at once with its path,
 * and the result is frozen. There is no silent fallback: a value that is wrong stops
 * the start.
 */
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from './schema.js';
import { listSettings, settingType } from './settings.js';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface ConfigSources {
  env?: Record<string, string | undefined>;
  /** Path of a JSON config file; PFORTE_CONFIG_FILE in `env` names one too. */
  file?: string;
  /** Values given on the command line (e.g. `serve --port`), above everything else. */
  overrides?: Record<string, unknown>;
}

export function loadConfig(sources: ConfigSources = {}): Readonly<Config> {
  const env = sources.env ?? {};
  const problems: string[] = [];
  const raw = readConfigFile(sources.file ?? env.PFORTE_CONFIG_FILE, problems);

  for (const info of listSettings()) {
    const text = env[info.env];
    if (text === undefined) continue;
    const value = parseEnvValue(text, settingType(info.schema));
    if (value === undefined) {
      problems.push(`${info.path} (${info.env}) must be ${describeType(info.schema)}`);
      continue;
    }
    setPath(raw, info.path, value);
  }
  for (const [path, value] of Object.entries(sources.overrides ?? {})) setPath(raw, path, value);

  const withDefaults = Value.Default(ConfigSchema, raw) as Config;
  for (const error of Value.Errors(ConfigSchema, withDefaults)) {
    const path = error.path.slice(1).replaceAll('/', '.') || '(top level)';
    const message =
      error.schema === ConfigSchema || error.message.includes('Unexpected property')
        ? 'is not a known setting'
        : `must be ${describeType(error.schema)}`;
    problems.push(`${path} ${message}`);
  }
  if (problems.length === 0) problems.push(...checkMeaning(withDefaults));
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return deepFreeze(withDefaults);
}

/** Rules the schema's types cannot say. */
function checkMeaning(config: Config): string[] {
  const problems: string[] = [];
  const url = parseUrl(config.publicUrl);
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    problems.push('publicUrl must be an http:// or https:// address without query or fragment');
  }
  if (config.database.url) {
    const db = parseUrl(config.database.url);
    if (!db || !['postgres:', 'postgresql:'].includes(db.protocol)) {
      problems.push('database.url must be a postgres:// URL, or empty for SQLite');
    }
  }
  if (config.masterKey && !decodeMasterKeyText(config.masterKey)) {
    problems.push('masterKey must be 32 bytes written as 64 hex digits or base64');
  }
  if (config.mail.smtpUrl) {
    const smtp = parseUrl(config.mail.smtpUrl);
    if (!smtp || !['smtp:', 'smtps:'].includes(smtp.protocol)) {
      problems.push('mail.smtpUrl must be an smtp:// or smtps:// URL, or empty for the outbox');
    }
  }
  const names = new Set<string>();
  config.directories.forEach((directory, i) => {
    const at = `directories[${i}]`;
    if (names.has(directory.name)) problems.push(`${at}.name ${directory.name} is used twice`);
    names.add(directory.name);
    for (const text of directory.urls) {
      const address = parseUrl(text);
      if (!address || !['ldap:', 'ldaps:'].includes(address.protocol)) {
        problems.push(`${at}.urls must be ldap:// or ldaps:// addresses`);
      } else if (directory.startTls && address.protocol === 'ldaps:') {
        problems.push(`${at}: startTls is for ldap:// addresses; ldaps:// is TLS already`);
      }
    }
    const placeholders = directory.userFilter.split('{username}').length - 1;
    if (placeholders < 1 || !/^\(.*\)$/.test(directory.userFilter)) {
      problems.push(`${at}.userFilter must be a parenthesised filter with {username} in it`);
    }
    if (directory.bindDn && !directory.bindPassword && !directory.bindPasswordFile) {
      // An empty password would make an unauthenticated bind (RFC 4513 section 5.1.2).
      problems.push(`${at}: bindDn needs bindPassword or bindPasswordFile`);
    }
    if (directory.bindPassword && directory.bindPasswordFile) {
      problems.push(`${at}: give bindPassword or bindPasswordFile, not both`);
    }
  });
  config.portal.services.forEach((service, i) => {
    const address = parseUrl(service.url);
    if (!address || !['http:', 'https:'].includes(address.protocol)) {
      problems.push(`portal.services[${i}].url must be an http:// or https:// address`);
    }
  });
  const logo = config.portal.logoUrl;
  if (logo && !/^\/[^/\\]/.test(logo) && parseUrl(logo)?.protocol !== 'https:') {
    problems.push('portal.logoUrl must be a path on this server (/…) or an https:// address');
  }
  if (config.pin.maxLength < config.pin.minLength) {
    problems.push('pin.maxLength must be at least pin.minLength');
  }
  if (config.backoff.maxSeconds < config.backoff.baseSeconds) {
    problems.push('backoff.maxSeconds must be at least backoff.baseSeconds');
  }
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

function readConfigFile(path: string | undefined, problems: string[]): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`config file ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
    problems.push(`config file ${path} must hold a JSON object`);
  } catch {
    problems.push(`config file ${path} is not valid JSON`);
  }
  return {};
}

function parseEnvValue(text: string, type: ReturnType<typeof settingType>): unknown {
  if (type === 'integer') return /^-?\d{1,15}$/.test(text.trim()) ? Number(text) : undefined;
  if (type === 'list') {
    try {
      const list: unknown = JSON.parse(text);
      return Array.isArray(list) ? list : undefined;
    } catch {
      return undefined;
    }
  }
  if (type === 'boolean') {
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    return undefined;
  }
  return text;
}

function describeType(schema: { [key: string]: unknown }): string {
  if (schema.anyOf) {
    const options = (schema.anyOf as { const: unknown }[]).map((s) => JSON.stringify(s.const));
    return `one of ${options.join(', ')}`;
  }
  if (schema.type === 'integer') {
    return `an integer from ${String(schema.minimum)} to ${String(schema.maximum)}`;
  }
  if (schema.type === 'string') {
    if (schema.pattern) return 'text without control characters';
    return schema.minLength ? 'a non-empty string' : 'a string';
  }
  if (schema.type === 'boolean') return 'true or false';
  if (schema.type === 'array') return 'a JSON list';
  if (schema.type === 'object') return 'an object';
  return `of type ${String(schema.type)}`;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
