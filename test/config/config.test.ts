import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadConfigWithNotes } from '../../src/config/load.js';
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
    expect(problems).toEqual([
      'lockout.maxFailures (PFORTE_LOCKOUT_MAX_FAILURES) must be an integer from 1 to 1000',
      'server.port (PFORTE_PORT) must be an integer from 0 to 65535',
      'log.level (PFORTE_LOG_LEVEL) must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent"',
      'publicUrl (PFORTE_PUBLIC_URL) must be an http:// or https:// address without query or fragment',
      'database.url (PFORTE_DATABASE_URL) must be a postgres:// URL, or empty for SQLite',
      'masterKey (PFORTE_MASTER_KEY) must be 32 bytes written as 64 hex digits or base64',
    ]);
  });

  it('reports a type error and a meaning error together (port abc plus a short master key)', () => {
    expect(problemsOf({ env: { PFORTE_PORT: 'abc', PFORTE_MASTER_KEY: 'short' } })).toEqual([
      'server.port (PFORTE_PORT) must be an integer from 0 to 65535',
      'masterKey (PFORTE_MASTER_KEY) must be 32 bytes written as 64 hex digits or base64',
    ]);
    // A rule that reads a setting with a type problem is skipped, not run on a default.
    expect(problemsOf({ env: { PFORTE_PIN_MIN_LENGTH: 'x', PFORTE_PIN_MAX_LENGTH: '5' } })).toEqual(
      ['pin.minLength (PFORTE_PIN_MIN_LENGTH) must be an integer from 4 to 12'],
    );
  });

  it('names a mistyped PFORTE_ variable with the closest known one', () => {
    expect(problemsOf({ env: { PFORTE_PROT: '8080' } })).toEqual([
      'PFORTE_PROT is not a known setting; did you mean PFORTE_PORT?',
    ]);
    expect(
      problemsOf({
        env: { PFORTE_TRUST_PROXI: '10.0.0.1', PFORTE_DATBASE_URL: 'x', PFORTE_COLOUR: 'blue' },
      }),
    ).toEqual([
      'PFORTE_COLOUR is not a known setting',
      'PFORTE_DATBASE_URL is not a known setting; did you mean PFORTE_DATABASE_URL?',
      'PFORTE_TRUST_PROXI is not a known setting; did you mean PFORTE_TRUST_PROXY?',
    ]);
    // Variables that are not settings but that Pforte (or its test suite) reads are known.
    expect(
      problemsOf({
        env: { PFORTE_DEBUG: '1', PFORTE_TEST_DATABASE_URL: 'postgres://x/y', HOME: '/root' },
      }),
    ).toEqual([]);
  });

  it.each([
    ['banana', '"banana" is none of these'],
    ['10.0.0.1, banana, 1.2.3.4/33', '"banana", "1.2.3.4/33" are none of these'],
    ['10.0.0.0/8/1', '"10.0.0.0/8/1" is none of these'],
    ['fe80::/129', '"fe80::/129" is none of these'],
    ['true', '"true" is none of these'],
  ])('refuses PFORTE_TRUST_PROXY=%s', (value, wrong) => {
    expect(problemsOf({ env: { PFORTE_TRUST_PROXY: value } })).toEqual([
      `server.trustProxy (PFORTE_TRUST_PROXY) must be IP addresses or CIDR ranges (10.0.0.0/8), or loopback, linklocal, uniquelocal, separated by commas: ${wrong}`,
    ]);
  });

  it.each(['', '127.0.0.1', '10.0.0.0/8, 192.168.1.0/24', '::1, fd00::/8', 'loopback,uniquelocal'])(
    'accepts PFORTE_TRUST_PROXY=%j',
    (value) => {
      expect(problemsOf({ env: { PFORTE_TRUST_PROXY: value } })).toEqual([]);
    },
  );

  it('reads any setting from the file <VARIABLE>_FILE names, as containers keep secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pforte-config-file-'));
    const key = join(dir, 'key');
    writeFileSync(key, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    const url = join(dir, 'db');
    writeFileSync(url, 'postgres://pforte:s3cret@db.example.org/pforte');
    const config = loadConfig({
      env: { PFORTE_MASTER_KEY_FILE: key, PFORTE_DATABASE_URL_FILE: url, PFORTE_DATA_DIR: dir },
    });
    expect(config.masterKey).toBe('ab'.repeat(32));
    expect(config.database.url).toBe('postgres://pforte:s3cret@db.example.org/pforte');
    expect(problemsOf({ env: { PFORTE_SMTP_URL_FILE: join(dir, 'missing') } })).toEqual([
      `mail.smtpUrl (PFORTE_SMTP_URL_FILE): PFORTE_SMTP_URL_FILE ${join(dir, 'missing')} cannot be read (ENOENT)`,
    ]);
    expect(
      problemsOf({ env: { PFORTE_MASTER_KEY_FILE: key, PFORTE_MASTER_KEY: 'ab'.repeat(32) } }),
    ).toEqual([
      'masterKey (PFORTE_MASTER_KEY): give PFORTE_MASTER_KEY or PFORTE_MASTER_KEY_FILE, not both',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a brand colour that is not #rrggbb, and says what it must be (no CSS can ride along)', () => {
    expect(problemsOf({ env: { PFORTE_ORGANISATION_COLOUR: '#e30613' } })).toEqual([]);
    for (const colour of [
      'red',
      '#12345g',
      '#123456;}body{display:none',
      '#123456\n',
      ' #123456',
    ]) {
      expect(problemsOf({ env: { PFORTE_ORGANISATION_COLOUR: colour } })).toEqual([
        'organisation.colour (PFORTE_ORGANISATION_COLOUR) must be a colour as #rrggbb',
      ]);
    }
  });

  it('refuses RADIUS clients without a usable address or secret, each problem at once', () => {
    const clients = [
      { name: 'vpn', address: '10.0.0.0/33', secret: 'short' },
      { name: 'vpn', address: '192.0.2.1', secret: 'a secret of twenty chars', secretFile: '/x' },
      { name: 'wifi', address: 'gateway.example.org' },
    ];
    expect(problemsOf({ env: { PFORTE_RADIUS_CLIENTS: JSON.stringify(clients) } })).toEqual([
      'radius.clients[0].address (PFORTE_RADIUS_CLIENTS) must be an IP address or a CIDR range (10.0.0.0/8)',
      'radius.clients[0].secret (PFORTE_RADIUS_CLIENTS) must be at least 16 characters',
      'radius.clients[1] (PFORTE_RADIUS_CLIENTS): give secret or secretFile, not both',
      'radius.clients[1].name (PFORTE_RADIUS_CLIENTS): vpn is named twice',
      'radius.clients[2].address (PFORTE_RADIUS_CLIENTS) must be an IP address or a CIDR range (10.0.0.0/8)',
      'radius.clients[2] (PFORTE_RADIUS_CLIENTS): needs secret or secretFile',
    ]);
  });

  it('refuses a PFORTE_HOST that is neither an address nor a host name', () => {
    for (const host of ['0.0.0.0', '::', '127.0.0.1', 'localhost', 'pforte.internal.example.org']) {
      expect(problemsOf({ env: { PFORTE_HOST: host } })).toEqual([]);
    }
    for (const host of ['[::1]', 'localhost:8080', 'two words', 'http://localhost', '-bad-']) {
      expect(problemsOf({ env: { PFORTE_HOST: host } })).toEqual([
        'server.host (PFORTE_HOST) must be an IP address (127.0.0.1, ::1, 0.0.0.0) or a host name, without brackets or port',
      ]);
    }
  });

  it('refuses unknown settings in the file and a file that is not JSON, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pforte-config-'));
    const a = join(dir, 'a.json');
    writeFileSync(a, JSON.stringify({ server: { prot: 80, port: 'x' }, colour: 'blue' }));
    writeFileSync(join(dir, 'b.json'), '{ port: 80 ');
    expect(problemsOf({ file: a }).sort()).toEqual([
      `colour (in ${a}) is not a known setting`,
      `server.port (in ${a}) must be an integer from 0 to 65535`,
      `server.prot (in ${a}) is not a known setting; did you mean server.port?`,
    ]);
    expect(problemsOf({ file: join(dir, 'b.json') })).toEqual([
      expect.stringMatching(
        new RegExp(`^the config file ${join(dir, 'b.json')} is not valid JSON \\(.*position 2`),
      ),
    ]);
    expect(problemsOf({ file: join(dir, 'missing.json') })).toEqual([
      `the config file ${join(dir, 'missing.json')} cannot be read (ENOENT)`,
    ]);
  });

  describe('pforte.json in the data folder', () => {
    function dataFolderWith(content: string | undefined): string {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'pforte-config-')), 'data');
      mkdirSync(dataDir);
      if (content !== undefined) writeFileSync(join(dataDir, 'pforte.json'), content);
      return dataDir;
    }

    it('is read by default, with the environment over it', () => {
      const dataDir = dataFolderWith(
        JSON.stringify({ publicUrl: 'https://sso.example.org', server: { port: 9000 } }),
      );
      const env = { PFORTE_DATA_DIR: dataDir, PFORTE_PORT: '9100' };
      const { config, overridden } = loadConfigWithNotes({ env });
      expect(config.publicUrl).toBe('https://sso.example.org');
      expect(config.server.port).toBe(9100);
      // pforte serve warns of each: two places that disagree are worth a look.
      expect(overridden).toEqual([
        `PFORTE_PORT overrides server.port from ${join(dataDir, 'pforte.json')}`,
      ]);
      expect(loadConfigWithNotes({ env: { ...env, PFORTE_PORT: '9000' } }).overridden).toEqual([]);
    });

    it('may be missing (the defaults), also when the data folder does not exist yet', () => {
      expect(loadConfig({ env: { PFORTE_DATA_DIR: dataFolderWith(undefined) } }).publicUrl).toBe(
        'http://localhost:8080',
      );
      const notYet = join(dataFolderWith(undefined), 'later');
      expect(loadConfig({ env: { PFORTE_DATA_DIR: notYet } }).dataDir).toBe(notYet);
    });

    it('is refused with its path when it is not JSON or has unknown keys', () => {
      const broken = dataFolderWith('{ "publicUrl": ');
      expect(problemsOf({ env: { PFORTE_DATA_DIR: broken } })).toEqual([
        expect.stringContaining(`the config file ${join(broken, 'pforte.json')} is not valid JSON`),
      ]);
      const unknown = dataFolderWith(JSON.stringify({ publicURL: 'https://sso.example.org' }));
      expect(problemsOf({ env: { PFORTE_DATA_DIR: unknown } })).toEqual([
        `publicURL (in ${join(unknown, 'pforte.json')}) is not a known setting; did you mean publicUrl?`,
      ]);
    });

    it('cannot move the data folder it is found in', () => {
      const dataDir = dataFolderWith(JSON.stringify({ dataDir: '/elsewhere' }));
      expect(problemsOf({ env: { PFORTE_DATA_DIR: dataDir } })).toEqual([
        `the config file ${join(dataDir, 'pforte.json')} sets dataDir, but it is found through the data folder: set PFORTE_DATA_DIR instead, or name a file elsewhere with PFORTE_CONFIG_FILE`,
      ]);
    });

    it('is not read when PFORTE_CONFIG_FILE names another file', () => {
      const dataDir = dataFolderWith(
        JSON.stringify({ publicUrl: 'https://from-data.example.org' }),
      );
      const other = join(dataDir, '..', 'other.json');
      writeFileSync(other, JSON.stringify({ organisation: { name: 'Other' } }));
      const config = loadConfig({ env: { PFORTE_DATA_DIR: dataDir, PFORTE_CONFIG_FILE: other } });
      expect(config.publicUrl).toBe('http://localhost:8080');
      expect(config.organisation.name).toBe('Other');
    });
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
