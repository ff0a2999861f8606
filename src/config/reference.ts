/** Renders docs/configuration.md from the schema (`npm run docs:config`); a test checks it. */
import { listSettings, settingType } from './settings.js';

export function renderConfigReference(): string {
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`; a test fails when it drifts. -->',
    '',
    'Settings come from the JSON file `pforte.json` in the data folder (or the file `PFORTE_CONFIG_FILE`',
    'names), nested as the paths below, then from environment variables, which win. `pforte serve` and',
    'every other command read the same. Every problem is reported at start, with its path and source.',
    'Any variable may instead name a file holding its value: `<VARIABLE>_FILE` (e.g.',
    '`PFORTE_MASTER_KEY_FILE=/run/secrets/pforte-master-key`), for secrets kept out of the environment.',
    '',
    '| setting | environment variable | type | default | description |',
    '|---|---|---|---|---|',
  ];
  for (const { path, env, schema } of listSettings()) {
    const type =
      settingType(schema) === 'enum'
        ? (schema.anyOf as { const: string }[]).map((s) => s.const).join(' \\| ')
        : settingType(schema);
    const def = schema.default === '' ? '(empty)' : `\`${String(schema.default)}\``;
    lines.push(`| \`${path}\` | \`${env}\` | ${type} | ${def} | ${schema.description} |`);
  }
  return lines.join('\n') + '\n';
}
