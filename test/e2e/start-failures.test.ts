/**
 * What an operator sees when `pforte serve` cannot start, from a real process: one JSON
 * line that says what is wrong, exit 2 for the configuration, exit 1 for the machine
 * (README, "The command line"). And a server that does start writes nothing but JSON.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASES, freshPostgresDatabase } from '../helpers/core.js';
import { freePort } from '../helpers/ports.js';
import { BIN, startServerProcess } from '../helpers/server-process.js';

interface Run {
  code: number | null;
  lines: Record<string, unknown>[];
  text: string;
}

/** Runs `pforte <args>` to its end; every line it writes must parse as JSON for `serve`. */
async function run(env: Record<string, string>, args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk) => (text += String(chunk)));
  child.stderr.on('data', (chunk) => (text += String(chunk)));
  const [code] = (await once(child, 'exit')) as [number | null];
  const lines = args[0] === 'serve' ? parseLines(text) : [];
  return { code, lines, text };
}

function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

function freshDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'pforte-start-')), 'data');
}

describe('pforte serve that cannot start', () => {
  it('says the port is in use, in one line, and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = await run({ PFORTE_DATA_DIR: freshDataDir() }, [
        'serve',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
      ]);
      expect(result.code).toBe(1);
      expect(result.lines).toEqual([
        expect.objectContaining({
          level: 60,
          code: 'ERR_START_FAILED',
          msg: `cannot listen on 127.0.0.1:${port}: the address is in use`,
        }),
      ]);
    } finally {
      taken.close();
    }
  });

  it('says the host is unknown', async () => {
    const result = await run({ PFORTE_DATA_DIR: freshDataDir(), PFORTE_HOST: 'nosuch.invalid' }, [
      'serve',
    ]);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(
          /^cannot listen on nosuch\.invalid:8080: the host name (is unknown|cannot be looked up now)$/,
        ),
      }),
    ]);
  });

  it('says the database cannot be reached, without its password', async () => {
    const closed = await freePort(); // nothing listens there
    const result = await run(
      {
        PFORTE_DATA_DIR: freshDataDir(),
        PFORTE_DATABASE_URL: `postgres://pforte:s3cret-pw@127.0.0.1:${closed}/pforte`,
      },
      ['serve', '--port', '0'],
    );
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      expect.objectContaining({
        code: 'ERR_START_FAILED',
        msg: `cannot reach the database at postgres://127.0.0.1:${closed}/pforte (connection refused)`,
      }),
    ]);
    expect(result.text).not.toContain('s3cret-pw');
  });

  it('says the database does not exist, when the server is there but the database is not', async () => {
    const url = new URL(await freshPostgresDatabase());
    url.pathname = '/no_such_database';
    const result = await run(
      { PFORTE_DATA_DIR: freshDataDir(), PFORTE_DATABASE_URL: url.toString() },
      ['serve', '--port', '0'],
    );
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      expect.objectContaining({
        msg: `cannot reach the database at postgres://${url.hostname}:${url.port}/no_such_database (the database does not exist)`,
      }),
    ]);
  });

  it.each(DATABASES)('names the data folder it cannot write (%s)', async (database) => {
    // Tests run as root, whom permissions do not stop: a folder below a regular file
    // cannot be made by anyone.
    const file = join(mkdtempSync(join(tmpdir(), 'pforte-start-')), 'a-file');
    writeFileSync(file, '');
    const dataDir = join(file, 'data');
    const env = {
      PFORTE_DATA_DIR: dataDir,
      // On PostgreSQL the folder still holds the master key file.
      ...(database === 'postgres' ? { PFORTE_DATABASE_URL: await freshPostgresDatabase() } : {}),
    };
    const result = await run(env, ['serve', '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      expect.objectContaining({
        msg: `cannot write to the data folder ${dataDir} (a part of its path is a file, not a folder); set PFORTE_DATA_DIR to a folder this user can write`,
      }),
    ]);
    // Every other command says the same, as plain text.
    const listed = await run(env, ['user', 'list']);
    expect({ code: listed.code, text: listed.text }).toEqual({
      code: 1,
      text: `pforte: cannot write to the data folder ${dataDir} (a part of its path is a file, not a folder); set PFORTE_DATA_DIR to a folder this user can write\n`,
    });
  });

  it('reports a type error, a meaning error and a mistyped variable together, and exits 2', async () => {
    const result = await run(
      {
        PFORTE_DATA_DIR: freshDataDir(),
        PFORTE_PORT: 'abc',
        PFORTE_MASTER_KEY: 'short',
        PFORTE_TRUST_PROXY: 'banana',
        PFORTE_PROT: '8080',
      },
      ['serve'],
    );
    expect(result.code).toBe(2);
    expect(result.lines).toEqual([
      expect.objectContaining({
        level: 60,
        code: 'ERR_CONFIG',
        problems: [
          'server.port (PFORTE_PORT) must be an integer from 0 to 65535',
          expect.stringMatching(/^server\.trustProxy \(PFORTE_TRUST_PROXY\) must be IP addresses/),
          'masterKey (PFORTE_MASTER_KEY) must be 32 bytes written as 64 hex digits or base64',
          'PFORTE_PROT is not a known setting; did you mean PFORTE_PORT?',
        ],
        msg: expect.stringMatching(/^invalid configuration \(4 problems\): server\.port/),
      }),
    ]);
  });
});

describe('pforte serve that starts', () => {
  it('writes only JSON lines (the OpenID library’s notices too), and one for each request the router refuses', async () => {
    const server = await startServerProcess({
      PFORTE_DATA_DIR: freshDataDir(),
      PFORTE_LOG_LEVEL: 'info',
    });
    let lines: Record<string, unknown>[];
    try {
      expect((await fetch(`${server.url}/no/such/page`)).status).toBe(404);
      expect((await fetch(`${server.url}/healthz`, { method: 'DELETE' })).status).toBe(405);
      const bad = await fetch(`${server.url}/api/v1/users/%E0%A4%A`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: { code: 'ERR_VALIDATION', message: 'the request URL is not valid' },
      });
      const secretish = 'ABCDEFGHJKMNPQRSTVWXYZ0123';
      expect((await fetch(`${server.url}/nothing/${secretish}?code=${secretish}`)).status).toBe(
        404,
      );
      // The first OpenID request loads oidc-provider, which writes a notice on some runtimes.
      expect((await fetch(`${server.url}/.well-known/openid-configuration`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
      lines = parseLines(server.output());
    }
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain(`Pforte listening on ${server.url}`);
    // The stop comes after the stopping; stdout and stderr interleave as the pipes deliver
    // them, so a request's own log line may still come after it, and nothing else.
    const stopping = messages.indexOf('Pforte stopping (SIGTERM)');
    const stopped = messages.indexOf('Pforte stopped');
    expect(stopping).toBeGreaterThan(0);
    expect(stopped).toBeGreaterThan(stopping);
    expect(
      messages
        .slice(stopped + 1)
        .filter((m) => m !== 'request completed' && m !== 'request refused'),
    ).toEqual([]);
    const refused = lines
      .filter((line) => line.msg === 'request refused')
      .map(({ method, path, status, code, level }) => ({ method, path, status, code, level }));
    expect(refused).toEqual([
      { method: 'GET', path: '/no/such/page', status: 404, code: 'ERR_NOT_FOUND', level: 30 },
      {
        method: 'DELETE',
        path: '/healthz',
        status: 405,
        code: 'ERR_METHOD_NOT_ALLOWED',
        level: 30,
      },
      {
        method: 'GET',
        path: '/api/v1/users/%E0%A4%A',
        status: 400,
        code: 'ERR_VALIDATION',
        level: 30,
      },
      {
        method: 'GET',
        path: '/nothing/[redacted]?[query]',
        status: 404,
        code: 'ERR_NOT_FOUND',
        level: 30,
      },
    ]);
    expect(server.output()).not.toContain('ABCDEFGHJKMNPQRSTVWXYZ0123');
  });

  it('says it is listening in JSON even at PFORTE_LOG_LEVEL=warn', async () => {
    const server = await startServerProcess({ PFORTE_DATA_DIR: freshDataDir() });
    expect(await server.stop()).toBe(0);
    expect(parseLines(server.output()).map((line) => line.msg)).toEqual([
      `Pforte listening on ${server.url}`,
      'Pforte stopping (SIGTERM)',
      'Pforte stopped',
    ]);
  });
});

describe.each(DATABASES)('pforte.json in the data folder, on %s', (database) => {
  it('is read by pforte serve and by pforte enroll, which mails its public URL', async () => {
    const dataDir = freshDataDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'pforte.json'),
      JSON.stringify({
        publicUrl: 'https://sso.example.org',
        portal: { name: 'Hamburg-Cloud Portal' },
        organisation: { name: 'Hamburg-Cloud' },
        // The database too: the CLI must write where the server reads.
        ...(database === 'postgres' ? { database: { url: await freshPostgresDatabase() } } : {}),
      }),
    );
    const env = { PFORTE_DATA_DIR: dataDir };
    const server = await startServerProcess({
      ...env,
      PFORTE_ORGANISATION_NAME: 'Hamburg-Cloud GmbH',
    });
    try {
      expect(parseLines(server.output())[0]).toMatchObject({
        level: 40,
        msg: `PFORTE_ORGANISATION_NAME overrides organisation.name from ${join(dataDir, 'pforte.json')}`,
      });
      expect(await (await fetch(`${server.url}/login`)).text()).toContain('Hamburg-Cloud Portal');
      expect((await run(env, ['user', 'add', 'alice', '--email', 'alice@example.org'])).code).toBe(
        0,
      );
      const enrolled = await run(env, ['enroll', 'alice']);
      expect(enrolled.code).toBe(0);
      const link = /link: (\S+)/.exec(enrolled.text)![1]!;
      expect(link).toMatch(/^https:\/\/sso\.example\.org\/enroll\/[0-9A-Z]+$/);
      const id = /pforte outbox show ([\w-]+)/.exec(enrolled.text)![1]!;
      expect((await run(env, ['outbox', 'show', id])).text).toContain(link);
      const page = await fetch(`${server.url}/enroll/${link.split('/enroll/')[1]!}`);
      expect(page.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
