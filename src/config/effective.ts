/**
 * The configuration a server runs with, as an operator may see it: every setting of the
 * schema with its variable, description and value — and no secret. A secret shows only
 * whether it is set: the settings the schema marks `secret`, every field named like a
 * password or secret (a directory's `bindPassword`, `bindPasswordFile`), and the
 * password and secret-looking query parameters of any URL (the database's, a
 * directory's), which show with those parts masked.
 */
import { listSettings } from './settings.js';
import type { Config } from './schema.js';

/** A shown value: text, or for a secret only whether it is set. */
export type ShownValue =
  | { kind: 'text'; text: string }
  | { kind: 'secret'; set: boolean }
  | { kind: 'list'; items: Record<string, string>[] };

export interface EffectiveSetting {
  /** The schema's top-level key it is in, or `general` for the top-level settings. */
  group: string;
  path: string;
  env: string;
  description: string;
  value: ShownValue;
  isDefault: boolean;
}

const SECRET_NAME = /password|secret|credential|privatekey|masterkey/i;
const SECRET_PARAM = /pass|secret|key|token|credential/i;
/** What stands for a set secret inside a list item or a URL. */
export const MASK = '•••';

export function describeEffectiveSettings(config: Readonly<Config>): EffectiveSetting[] {
  return listSettings().map(({ path, env, schema }) => {
    const value = valueAt(config, path);
    const top = path.includes('.') ? path.split('.')[0]! : 'general';
    return {
      group: top,
      path,
      env,
      description: schema.description,
      value: schema.secret || SECRET_NAME.test(path) ? secretOf(value) : show(value),
      isDefault: JSON.stringify(value) === JSON.stringify(schema.default),
    };
  });
}

function show(value: unknown): ShownValue {
  if (Array.isArray(value)) {
    return { kind: 'list', items: value.map((item) => flatten(item)) };
  }
  return { kind: 'text', text: maskText(value) };
}

/** One item of a list setting as `field: value` pairs, its secrets masked. */
function flatten(item: unknown): Record<string, string> {
  if (!item || typeof item !== 'object') return { value: maskText(item) };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(item)) {
    if (SECRET_NAME.test(key)) out[key] = value === '' || value === undefined ? '' : MASK;
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, text] of Object.entries(flatten(value))) out[`${key}.${inner}`] = text;
    } else if (Array.isArray(value)) out[key] = value.map(maskText).join(', ');
    else out[key] = maskText(value);
  }
  return out;
}

function secretOf(value: unknown): ShownValue {
  return { kind: 'secret', set: value !== '' && value !== undefined && value !== null };
}

/** A value as text; a URL with its password and secret-looking parameters masked. */
export function maskText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL after all, but it looked like one: it may hold credentials.
    return MASK;
  }
  if (url.password) url.password = MASK;
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) url.searchParams.set(key, MASK);
  }
  try {
    return decodeURIComponent(url.toString());
  } catch {
    return url.toString();
  }
}

function valueAt(config: Readonly<Config>, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) node = (node as Record<string, unknown>)?.[key];
  return node;
}
