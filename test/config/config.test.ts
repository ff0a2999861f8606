import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { renderConfigReference } from '../../src/config/reference.js';

function problemsOf(sources: Parameters<typeof loadConfig>[0]): string[] {
  try {
    loadConfig(sources);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('works with no settings at all: SQLite in ./data, http://localhost:8080', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      dataDir: './data',
      publicUrl: 'http://localhost:8080',
      server: { port: 8080, host: 'localhost' },
      database: { url: '' },
      otp: { totpWindow: 1, hotpLookahead: 10, hotpResyncWindow: 100 },
      lockout: { maxFailures: 10, autoUnlockMinutes: 15 },
    });
  });

  it('takes environment variables over the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pforte-config-'));
    const file = join(dir, 'pforte.json');
    writeFileSync(
      file,
      JSON.stringify({
        server: { port: 9000, host: '0.0.0.0' },
        organisation: { name: 'Hamburg-Cloud' },
      }),
    );
    const config = loadConfig({ env: { PFORTE_CONFIG_FILE: file, PFORTE_PORT: '9100' } });
    expect(config.server).toMatchObject({ port: 9100, host: '0.0.0.0' });
    expect(config.organisation.name).toBe('Hamburg-Cloud');
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf({
      env: {
        PFORTE_PORT: '70000',
        PFORTE_PUBLIC_URL: 'ftp://example.org',
        PFORTE_LOCKOUT_MAX_FAILURES: 'ten',
        PFORTE_LOG_LEVEL: 'loud',
        PFORTE_DATABASE_URL: 'mysql://db/pforte',
        PFORTE_MASTER_KEY: 'too short',
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'server.port must be an integer from 0 to 65535',
        'lockout.maxFailures (PFORTE_LOCKOUT_MAX_FAILURES) must be an integer from 1 to 1000',
        'log.level must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent"',
      ]),
    );
    expect(problems).toHaveLength(3);
    // Meaning is checked once the types are right.
    expect(
      problemsOf({
        env: {
          PFORTE_PUBLIC_URL: 'ftp://example.org',
          PFORTE_DATABASE_URL: 'mysql://db/pforte',
          PFORTE_MASTER_KEY: 'too short',
        },
      }),
    ).toEqual([
      'publicUrl must be an http:// or https:// address without query or fragment',
      'database.url must be a postgres:// URL, or empty for SQLite',
      'masterKey must be 32 bytes written as 64 hex digits or base64',
    ]);
  });

  it('refuses unknown settings in the file and a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pforte-config-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ server: { prot: 80 }, colour: 'blue' }));
    writeFileSync(join(dir, 'b.json'), '{ port: 80 ');
    expect(problemsOf({ file: join(dir, 'a.json') })).toEqual(
      expect.arrayContaining([
        'server.prot is not a known setting',
        'colour is not a known setting',
      ]),
    );
    expect(problemsOf({ file: join(dir, 'b.json') })).toEqual([
      `config file ${join(dir, 'b.json')} is not valid JSON`,
    ]);
    expect(problemsOf({ file: join(dir, 'missing.json') })).toEqual([
      `config file ${join(dir, 'missing.json')} cannot be read (ENOENT)`,
    ]);
  });

  it('is frozen once loaded', () => {
    const config = loadConfig({ env: {} });
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('never repeats the master key in an error', () => {
    const secretish = 'abcdef'.repeat(10);
    expect(problemsOf({ env: { PFORTE_MASTER_KEY: secretish } }).join('\n')).not.toContain(
      secretish,
    );
  });

  it('is documented in docs/configuration.md, generated from the schema (npm run docs:config)', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderConfigReference());
  });
});
