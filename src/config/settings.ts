/** Walks the configuration schema: each leaf setting with its dotted path. */
import { Kind, type TSchema } from '@sinclair/typebox';
import { ConfigSchema } from './schema.js';

export interface SettingInfo {
  path: string;
  env: string;
  schema: TSchema & { env: string; default: unknown; description: string; secret?: boolean };
}

export function listSettings(schema: TSchema = ConfigSchema, prefix = ''): SettingInfo[] {
  const found: SettingInfo[] = [];
  for (const [key, child] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child[Kind] === 'Object') found.push(...listSettings(child, path));
    else found.push({ path, env: child.env as string, schema: child as SettingInfo['schema'] });
  }
  return found;
}

/** The JSON type a setting holds, as the reference and the environment parser need it. */
export function settingType(schema: TSchema): 'integer' | 'string' | 'boolean' | 'enum' | 'list' {
  if (schema[Kind] === 'Array') return 'list';
  if (schema[Kind] === 'Integer') return 'integer';
  if (schema[Kind] === 'Boolean') return 'boolean';
  if (schema[Kind] === 'Union') return 'enum';
  return 'string';
}
