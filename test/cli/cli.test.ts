/** The `pforte` command as an administrator uses it: output, --json, exit codes, errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { COMMANDS } from '../../src/cli/main.js';
import { cli } from '../helpers/cli.js';
import { DATABASES, makeCore, type TestCore } from '../helpers/core.js';
import { snapshotDatabase } from '../helpers/snapshot.js';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe.each(DATABASES)('pforte CLI on %s', (database) => {
  let t: TestCore;
  let run: (args: string[], stdin?: string) => ReturnType<typeof cli>;
  beforeEach(async () => {
    t = await makeCore(database);
    run = (args, stdin) => cli(t.env, args, stdin);
  });
  afterEach(async () => t.close());

  it('adds, lists, shows, disables, enables and removes users', async () => {
    const added = await run(
      [
        'user',
        'add',
        'Alice',
        '--email',
        'alice@example.org',
        '--name',
        'Alice Example',
        '--lang',
        'en',
        '--password-stdin',
      ],
      'correct horse battery\n',
    );
    expect(added).toEqual({ code: 0, stdout: 'created user alice\n', stderr: '' });
    const list = await run(['user', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        username: 'alice',
        name: 'Alice Example',
        lang: 'en',
        hasPassword: true,
        disabled: false,
      }),
    ]);
    expect((await run(['user', 'list'])).stdout).toMatch(
      /^USERNAME\s+NAME\s+EMAIL.*\nalice\s+Alice Example\s+alice@example.org/,
    );
    expect((await run(['user', 'disable', 'alice'])).stdout).toBe('disabled user alice\n');
    expect(JSON.parse((await run(['user', 'show', 'alice', '--json'])).stdout).disabled).toBe(true);
    expect((await run(['user', 'enable', 'alice'])).code).toBe(0);
    expect(
      (await run(['user', 'set-password', 'alice', '--password-stdin'], 'another good one')).code,
    ).toBe(0);
    expect((await run(['user', 'remove', 'alice'])).stdout).toBe('removed user alice\n');
    const gone = await run(['user', 'show', 'alice']);
    expect(gone).toEqual({ code: 1, stdout: '', stderr: 'pforte: user not found\n' });
  });

  it('imports a token, validates codes, and manages the token by serial', async () => {
    await run(
      ['user', 'add', 'bob', '--email', 'bob@example.org', '--password-stdin'],
      'correct horse battery',
    );
    const added = await run(['token', 'add', 'bob', '--secret', SECRET]);
    expect(added.code).toBe(0);
    const serial = added.stdout.trim();
    expect(serial).toMatch(/^PF[0-9A-Z]{10}$/);

    const code = new TOTP({ secret: Secret.fromBase32(SECRET) }).generate({
      timestamp: Date.now(),
    });
    const accept = await run(
      ['validate', 'bob', '--otp', code, '--password-stdin'],
      'correct horse battery',
    );
    expect(accept).toEqual({ code: 0, stdout: 'accept\n', stderr: '' });
    const replay = await run(['validate', 'bob', '--otp', code, '--json']);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout)).toEqual({ result: 'reject' });

    const tokens = JSON.parse((await run(['token', 'list', '--user', 'bob', '--json'])).stdout);
    expect(tokens).toEqual([expect.objectContaining({ serial, state: 'active', type: 'totp' })]);
    expect((await run(['token', 'disable', serial])).stdout).toBe(`token ${serial} is disabled\n`);
    expect((await run(['token', 'enable', serial.toLowerCase()])).stdout).toBe(
      `token ${serial} is active\n`,
    );
    const unlock = await run(['token', 'unlock', serial]);
    expect(unlock).toEqual({
      code: 1,
      stdout: '',
      stderr: 'pforte: the token is active and cannot be unlocked\n',
    });
    expect((await run(['token', 'revoke', serial])).stdout).toBe(`token ${serial} is revoked\n`);
    expect((await run(['token', 'show', serial])).stdout).toContain('revoked');
  });

  it('reads a secret from standard input, so it is not on the command line', async () => {
    await run(['user', 'add', 'dora', '--email', 'dora@example.org']);
    const added = await run(['token', 'add', 'dora', '--secret-stdin', '--json'], `${SECRET}\n`);
    expect(JSON.parse(added.stdout)).toMatchObject({ type: 'totp', username: 'dora' });
    const code = new TOTP({ secret: Secret.fromBase32(SECRET) }).generate({
      timestamp: Date.now(),
    });
    expect((await run(['validate', 'dora', '--otp', code])).stdout).toBe('accept\n');
    const uri = 'otpauth://hotp/x?secret=' + SECRET + '&counter=3';
    const hotp = JSON.parse(
      (await run(['token', 'add', 'dora', '--secret-stdin', '--json'], uri)).stdout,
    );
    expect(hotp).toMatchObject({ type: 'hotp', counter: 3 });
  });

  it('imports HOTP tokens from hex and resynchronises them', async () => {
    await run(['user', 'add', 'carol', '--email', 'carol@example.org']);
    const hex = '3132333435363738393031323334353637383930'; // RFC 4226 Appendix D
    const serial = (
      await run(['token', 'add', 'carol', '--secret-hex', hex, '--type', 'hotp'])
    ).stdout.trim();
    const resync = await run(['token', 'resync', serial, '399871', '520489']); // counters 8 and 9
    expect(resync).toEqual({
      code: 0,
      stdout: `token ${serial} resynchronised; next counter 10\n`,
      stderr: '',
    });
    expect((await run(['token', 'resync', serial, '755224', '287082'])).code).toBe(1);
  });

  it('pages a list with --limit and --cursor, and says on stderr where more are', async () => {
    for (const name of ['carol', 'alice', 'bob']) {
      await run(['user', 'add', name, '--email', `${name}@example.org`]);
    }
    const first = await run(['user', 'list', '--limit', '2', '--json']);
    expect(JSON.parse(first.stdout).map((u: { username: string }) => u.username)).toEqual([
      'alice',
      'bob',
    ]);
    const cursor = /^more: --cursor (\S+)\n$/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const rest = await run(['user', 'list', '--cursor', cursor!, '--json']);
    expect(JSON.parse(rest.stdout).map((u: { username: string }) => u.username)).toEqual(['carol']);
    expect(rest.stderr).toBe('');
    const refused = await run(['user', 'list', '--cursor', 'bm90LWpzb24']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cursor');
  });

  it('creates API keys that are shown once, lists them without the key, and revokes them', async () => {
    const created = await run(['apikey', 'create', 'vpn', '--scope', 'validate']);
    expect(created.stdout).toMatch(/^pfk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}\n$/);
    const list = await run(['apikey', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'vpn', scope: 'validate', revokedAt: null }),
    ]);
    // The secret is what follows `pfk_<id>_`; it may itself contain `_`.
    expect(list.stdout).not.toContain(created.stdout.trim().slice('pfk_'.length + 17));
    expect((await run(['apikey', 'revoke', 'vpn'])).stdout).toBe('revoked API key vpn\n');
    expect(
      JSON.parse((await run(['apikey', 'list', '--json'])).stdout)[0].revokedAt,
    ).not.toBeNull();
  });

  it('lists the audit log and verifies its chain', async () => {
    await run(['user', 'add', 'dave', '--email', 'dave@example.org']);
    await run(['user', 'add', 'erin', '--email', 'erin@example.org']);
    const events = JSON.parse((await run(['audit', 'list', '--user', 'dave', '--json'])).stdout);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'user.create',
        username: 'dave',
        face: 'cli',
        sealed: true,
      }),
    ]);
    expect((await run(['audit', 'list', '--since', '2100-01-01'])).stdout).toBe('(no events)\n');
    expect(await run(['audit', 'verify'])).toEqual({
      code: 0,
      stdout: 'audit log intact: 2 events\n',
      stderr: '',
    });
    await t.core.store.db
      .updateTable('audit_events')
      .set({ username: 'mallory' })
      .where('username', '=', 'dave')
      .execute();
    const broken = await run(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe(
      'audit log BROKEN at event 1: event changed (0 events intact before it)\n',
    );
  });

  it('refuses hostile arguments with one line and changes nothing', async () => {
    await run(['user', 'add', 'alice', '--email', 'alice@example.org']);
    const before = await snapshotDatabase(t.core);
    const hostile: [string[], number, string?][] = [
      [['user', 'add', "x'; DROP TABLE users; --", '--email', 'x@example.org'], 1],
      [['user', 'add', '\u0430lice', '--email', 'a@example.org'], 1],
      [['user', 'add', 'eve', '--email', 'eve@example.org\r\nBcc: all@example.org'], 1],
      [['user', 'add', 'eve', '--email', 'eve@example.org', '--name', 'x'.repeat(1024 * 1024)], 1],
      [['user', 'add', 'eve', '--email', 'eve@example.org', '--lang', 'fr'], 1],
      [
        ['user', 'add', 'eve', '--email', 'eve@example.org', '--password-stdin'],
        1,
        'x'.repeat(10_000),
      ],
      [['user', 'add', 'eve', '--email', 'eve@example.org', '--password-stdin'], 1, ''],
      [['user', 'add', 'eve'], 2],
      [['user', 'add', 'eve', '--email', 'eve@example.org', '--admin'], 2],
      [['user', 'show', "' OR 1=1 --"], 1],
      [['user', 'remove', 'ali\u0000ce'], 1],
      [['token', 'add', 'alice', '--secret', 'not base32!'], 1],
      [['token', 'add', 'alice', '--secret', SECRET, '--digits', 'six'], 2],
      [['token', 'add', 'alice', '--secret', SECRET, '--digits', '9'], 1],
      [['token', 'add', 'alice', '--otpauth', 'javascript:alert(1)'], 1],
      [['token', 'add', 'alice'], 1],
      [['token', 'show', '../../etc/passwd'], 1],
      [['validate', 'alice', '--otp', '12345a'], 1],
      [['validate', 'alice'], 2],
      [['apikey', 'create', 'x'.repeat(100)], 1],
      [['apikey', 'create', 'ok', '--scope', 'root'], 1],
      [['audit', 'list', '--limit', '-1'], 2],
      [['frobnicate'], 2],
    ];
    for (const [args, code, stdin] of hostile) {
      const result = await run(args, stdin);
      expect({ args: args.join(' ').slice(0, 60), code: result.code }).toEqual({
        args: args.join(' ').slice(0, 60),
        code,
      });
      expect(result.stderr.split('\n')[0]).toMatch(/^pforte/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await snapshotDatabase(t.core)).toBe(before);
  });
});

describe('pforte --help', () => {
  it.each(COMMANDS.map((c) => c.name))('"%s --help" shows its usage and exits 0', async (name) => {
    const result = await cli({}, [...name.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: pforte ${name} `));
  });

  it('lists every command', async () => {
    const result = await cli({}, ['--help']);
    for (const command of COMMANDS) expect(result.stdout).toContain(command.name);
  });

  it('reports bad configuration with every problem, before doing anything', async () => {
    const result = await cli({ PFORTE_PORT: 'eighty', PFORTE_OTP_TOTP_WINDOW: '99' }, [
      'user',
      'list',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('server.port (PFORTE_PORT) must be an integer from 0 to 65535');
    expect(result.stderr).toContain(
      'otp.totpWindow (PFORTE_OTP_TOTP_WINDOW) must be an integer from 0 to 10',
    );
  });
});
