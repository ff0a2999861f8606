/**
 * Loading the configuration: a JSON file, then PFORTE_* environment variables over it,
 * then the schema's defaults. The file is `<data folder>/pforte.json` unless
 * PFORTE_CONFIG_FILE names another, so `pforte serve` and every other command read the
 * same settings without repeating them. Every problem is reported at once, each with the
 * variable or file it came from, and the result is frozen. There is no silent fallback:
 * a value that is wrong, or a name that is unknown, stops the start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { checkMeaning, type Problem } from './meaning.js';
import { ConfigSchema, type Config } from './schema.js';
import { listSettings, settingType, type SettingInfo } from './settings.js';
import { findUnknownVariables, OTHER_VARIABLES, suggestion } from './unknown-names.js';

export { decodeMasterKeyText } from './meaning.js';

/** The name of the config file read from the data folder when PFORTE_CONFIG_FILE is unset. */
export const CONFIG_FILE_NAME = 'pforte.json';

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

/** Where the settings come from: the file (if any) and what it holds, the environment. */
interface Gathered {
  file: ConfigFile;
  raw: Record<string, unknown>;
  env: Record<string, string | undefined>;
  overrides: Record<string, unknown>;
  /** "PFORTE_PORT overrides server.port from <file>", for values that differ. */
  overridden: string[];
}

interface ConfigFile {
  path: string;
  /** Named by PFORTE_CONFIG_FILE (or `file`): then it must exist. The default one may not. */
  named: boolean;
}

export function loadConfig(sources: ConfigSources = {}): Readonly<Config> {
  return loadConfigWithNotes(sources).config;
}

/**
 * The configuration, and a line for each setting the environment took over from the file
 * with another value (`pforte serve` logs them: two places disagreeing is worth a look).
 * Values are left out, since some are secrets.
 */
export function loadConfigWithNotes(sources: ConfigSources = {}): {
  config: Readonly<Config>;
  overridden: string[];
} {
  const env = sources.env ?? {};
  const overrides = sources.overrides ?? {};
  const problems: Problem[] = [];
  const file = findConfigFile(sources, env, overrides);
  const fromFile = readConfigFile(file, problems);
  const gathered: Gathered = { file, raw: fromFile, env, overrides, overridden: [] };
  const badPaths = applyEnvironment(gathered, problems);
  for (const [path, value] of Object.entries(overrides)) setPath(gathered.raw, path, value);

  const withDefaults = Value.Default(ConfigSchema, gathered.raw) as Config;
  for (const typeProblem of checkTypes(withDefaults)) {
    problems.push(typeProblem);
    badPaths.push(typeProblem.path.replace(/\[(\d+)\]/g, '.$1'));
  }
  problems.push(...checkMeaning(withDefaults, badPaths));
  const lines = problems.map((p) => describeProblem(p, gathered));
  lines.push(
    ...findUnknownVariables(env, [
      ...listSettings().flatMap((s) => [s.env, `${s.env}_FILE`]),
      ...OTHER_VARIABLES,
    ]),
  );
  if (lines.length > 0) throw new ConfigError([...new Set(lines)]);
  return { config: deepFreeze(withDefaults), overridden: gathered.overridden };
}

/** PFORTE_CONFIG_FILE (or `file`) when given, else pforte.json in the data folder. */
function findConfigFile(
  sources: ConfigSources,
  env: Record<string, string | undefined>,
  overrides: Record<string, unknown>,
): ConfigFile {
  const named = sources.file ?? env.PFORTE_CONFIG_FILE;
  if (named) return { path: named, named: true };
  const dataDir =
    (overrides.dataDir as string | undefined) ||
    env.PFORTE_DATA_DIR ||
    (ConfigSchema.properties.dataDir.default as string);
  return { path: join(dataDir, CONFIG_FILE_NAME), named: false };
}

function readConfigFile(file: ConfigFile, problems: Problem[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No file in the data folder (or no data folder yet) is the ordinary case: defaults.
    if (!file.named && (code === 'ENOENT' || code === 'ENOTDIR')) return {};
    problems.push(fileProblem(file, `cannot be read (${code})`));
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(fileProblem(file, `is not valid JSON (${(error as Error).message})`));
    return {};
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push(fileProblem(file, 'must hold a JSON object'));
    return {};
  }
  const raw = parsed as Record<string, unknown>;
  if (!file.named && 'dataDir' in raw) {
    // The file is found through the data folder, so it cannot move the data folder.
    problems.push(
      fileProblem(
        file,
        'sets dataDir, but it is found through the data folder: set PFORTE_DATA_DIR instead, or name a file elsewhere with PFORTE_CONFIG_FILE',
      ),
    );
  }
  return raw;
}

/** Puts each set variable's parsed value in `raw`; returns the paths of those that do not parse. */
function applyEnvironment(gathered: Gathered, problems: Problem[]): string[] {
  const bad: string[] = [];
  for (const info of listSettings()) {
    const text = valueOrFile(gathered.env, info, problems);
    if (text === undefined) continue;
    const value = parseEnvValue(text, settingType(info.schema));
    if (value === undefined) {
      problems.push({ path: info.path, message: `must be ${describeType(info.schema)}` });
      bad.push(info.path);
      continue;
    }
    const inFile = getPath(gathered.raw, info.path);
    if (inFile !== undefined && JSON.stringify(inFile) !== JSON.stringify(value)) {
      gathered.overridden.push(`${info.env} overrides ${info.path} from ${gathered.file.path}`);
    }
    setPath(gathered.raw, info.path, value);
  }
  return bad;
}

/**
 * A variable's text, or the content of the file `<VARIABLE>_FILE` names (the Docker and
 * systemd-credentials habit: a secret in a file readable by the service alone, not in the
 * environment that `ps e` and crash reports show). One trailing newline is taken off.
 */
function valueOrFile(
  env: Record<string, string | undefined>,
  info: { path: string; env: string },
  problems: Problem[],
): string | undefined {
  const path = env[`${info.env}_FILE`];
  if (path === undefined) return env[info.env];
  if (env[info.env] !== undefined) {
    problems.push({ path: info.path, message: `: give ${info.env} or ${info.env}_FILE, not both` });
    return undefined;
  }
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    problems.push({
      path: info.path,
      message: `: ${info.env}_FILE ${path} cannot be read (${code})`,
    });
    return undefined;
  }
}

/** The schema's verdict on the merged values: wrong types and unknown keys. */
function checkTypes(config: Config): Problem[] {
  const knownPaths = listSettings().map((s) => s.path);
  return [...Value.Errors(ConfigSchema, config)].map((error) => {
    const path = error.path.slice(1).split('/').map(indexed).join('.').replaceAll('.[', '[');
    if (error.schema === ConfigSchema || error.message.includes('Unexpected property')) {
      return {
        path: path || '(top level)',
        message: `is not a known setting${suggestion(path, knownPaths)}`,
      };
    }
    return { path, message: `must be ${describeType(error.schema)}` };
  });
}

/**
 * One line: the path, where its value came from (the variable, the file or the command
 * line) so the reader knows what to change, and what is wrong.
 */
function describeProblem(problem: Problem, gathered: Gathered): string {
  if (!problem.path) return problem.message;
  const origin = originOf(problem.path, gathered);
  const where = origin ? `${problem.path} (${origin})` : problem.path;
  return problem.message.startsWith(':')
    ? `${where}${problem.message}`
    : `${where} ${problem.message}`;
}

function originOf(path: string, { file, raw, env, overrides }: Gathered): string | undefined {
  const setting = settingAt(path);
  if (setting && setting.path in overrides) return 'command line';
  if (setting && env[setting.env] !== undefined) return setting.env;
  if (setting && env[`${setting.env}_FILE`] !== undefined) return `${setting.env}_FILE`;
  if (getPath(raw, path.replace(/\[(\d+)\]/g, '.$1')) !== undefined) return `in ${file.path}`;
  return setting?.env;
}

function settingAt(path: string): SettingInfo | undefined {
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  return listSettings().find((s) => dotted === s.path || dotted.startsWith(`${s.path}.`));
}

function fileProblem(file: ConfigFile, message: string): Problem {
  return { path: '', message: `the config file ${file.path} ${message}` };
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

/** The pattern of a colour setting (organisation.colour), named as a person would say it. */
const COLOUR_PATTERN = '^#[0-9a-fA-F]{6}$';

function describeType(schema: { [key: string]: unknown }): string {
  if (schema.anyOf) {
    const options = (schema.anyOf as { const: unknown }[]).map((s) => JSON.stringify(s.const));
    return `one of ${options.join(', ')}`;
  }
  if (schema.type === 'integer') {
    return `an integer from ${String(schema.minimum)} to ${String(schema.maximum)}`;
  }
  if (schema.type === 'string') {
    if (schema.pattern === COLOUR_PATTERN) return 'a colour as #rrggbb';
    if (schema.pattern) return 'text without control characters';
    return schema.minLength ? 'a non-empty string' : 'a string';
  }
  if (schema.type === 'boolean') return 'true or false';
  if (schema.type === 'array') return 'a JSON list';
  if (schema.type === 'object') return 'an object';
  return `of type ${String(schema.type)}`;
}

function indexed(key: string): string {
  return /^\d+$/.test(key) ? `[${key}]` : key;
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

function getPath(target: unknown, path: string): unknown {
  let node = target;
  for (const key of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
