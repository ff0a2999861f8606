/**
 * `pforte radius clients` and `pforte radius test` against a real RADIUS server on a test
 * core: what an administrator sees of an accept, a reject, a challenge round trip and an
 * answer that never comes — and that no secret, password or code is ever printed.
 */
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { CODE, readPacket, writeAnswer } from '../../src/radius/packet.js';
import { cli, type CliResult } from '../helpers/cli.js';
import { DATABASES } from '../helpers/core.js';
import {
  radiusClient,
  SECRET,
  startRadius,
  type RadiusTest,
  type TestRadiusClient,
} from '../helpers/radius.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

describe.each(DATABASES)('pforte radius on %s', (database) => {
  let t: RadiusTest | undefined;
  let alice: TestToken;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** A server with these clients, and alice with her password and a token. */
  async function serve(clients: TestRadiusClient[] = [{}], env: Record<string, string> = {}) {
    t = await startRadius(database, clients, env);
    alice = await addUserWithToken(t.core, 'alice');
    return t;
  }

  /** `pforte radius test` as the administrator runs it, against the test server's port. */
  function radiusTest(args: string[], stdin = '', env = t!.env): Promise<CliResult> {
    return cli(env, ['radius', 'test', '--port', String(t!.port), ...args], stdin);
  }

  function expectNothingSecret(result: CliResult, ...secrets: string[]): void {
    for (const secret of [SECRET, PASSWORD, ...secrets]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  }

  it('accepts the password with the passcode appended (password+passcode), and shows the Class and both authenticators right', async () => {
    await serve([{ class: 'vpn-staff' }]);
    const code = alice.code();
    const result = await radiusTest([
      '--client',
      'vpn',
      '--user',
      'alice',
      '--password',
      PASSWORD,
      '--otp',
      code,
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        `client vpn (password+passcode) from 127.0.0.1 to 127.0.0.1:${t!.port}`,
        'Access-Accept',
        '  Class:                  vpn-staff',
        '  Response Authenticator: right',
        '  Message-Authenticator:  right',
        '',
      ].join('\n'),
    );
    expectNothingSecret(result, code);
    expect(t!.server.counters()).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('exits 1 on an Access-Reject and shows its Reply-Message', async () => {
    await serve([{ lang: 'en' }]);
    const wrong = alice.code() === '000000' ? '111111' : '000000';
    const result = await radiusTest(
      ['--client', 'vpn', '--user', 'alice', '--otp', wrong, '--json'],
      `${PASSWORD}\n`,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      client: 'vpn',
      mode: 'password+passcode',
      source: '127.0.0.1',
      server: `127.0.0.1:${t!.port}`,
      answers: [
        {
          code: 'Access-Reject',
          replyMessage: 'Sign-in failed.',
          class: null,
          state: null,
          responseAuthenticator: 'right',
          messageAuthenticator: 'right',
          result: 'reject',
        },
      ],
      result: 'reject',
    });
    expectNothingSecret(result, wrong);
  });

  it('plays the challenge round trip: the password, the prompt with its State, then the code', async () => {
    await serve([{ mode: 'challenge', lang: 'en' }]);
    const code = alice.code();
    // Not a terminal: the password and the code are read as lines of standard input.
    const result = await radiusTest(
      ['--client', 'vpn', '--user', 'alice'],
      `${PASSWORD}\n${code}\n`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^client vpn \(challenge\) from 127\.0\.0\.1 to .*\nAccess-Challenge\n {2}Reply-Message: {10}Please enter the token code from your app\.\n {2}State: +\d+ octets\n {2}Response Authenticator: right\n {2}Message-Authenticator: {2}right\nAccess-Accept\n/,
    );
    expectNothingSecret(result, code);
    expect(t!.server.counters()).toMatchObject({ challenged: 1, accepted: 1 });
  });

  it('asks on a terminal without echo for what the command line left out', async () => {
    await serve([{ mode: 'challenge' }]);
    const code = alice.code();
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
      raw: [] as boolean[],
      setRawMode(raw: boolean) {
        this.raw.push(raw);
        return this;
      },
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk) => (out += String(chunk)));
    // Each prompt is answered as it appears, a key at a time, one typo taken back.
    stderr.on('data', (chunk) => {
      err += String(chunk);
      if (String(chunk) === 'Password: ') stdin.write(`${PASSWORD}x\u007f\r`);
      if (String(chunk) === 'Token code: ') for (const key of `${code}\r`) stdin.write(key);
    });
    const exit = await runCli(
      ['radius', 'test', '--client', 'vpn', '--user', 'alice', '--port', String(t!.port)],
      { stdin, stdout, stderr, env: t!.env },
    );
    expect(exit).toBe(0);
    expect(err).toBe('Password: \nToken code: \n');
    expect(stdin.raw).toEqual([true, false, true, false]);
    expect(out).toContain('Access-Challenge');
    expect(out).toContain('Access-Accept');
    expect(out + err).not.toContain(code);
  });

  it('sends the code alone for a passcode client, and says the password is not sent', async () => {
    await serve([{ mode: 'passcode' }]);
    const code = alice.code();
    const result = await radiusTest([
      '--client',
      'vpn',
      '--user',
      'alice',
      '--password',
      PASSWORD,
      '--otp',
      code,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      '--password is not sent: client vpn checks it itself (passcode mode)\n',
    );
    expect(result.stdout).toContain('Access-Accept');
  });

  it("sends from the client's own loopback address (127.0.0.2), which the server takes as that client's", async () => {
    await serve([
      { name: 'local', address: '127.0.0.1' },
      { name: 'gateway', address: '127.0.0.2', mode: 'passcode' },
    ]);
    const result = await radiusTest([
      '--client',
      'gateway',
      '--user',
      'alice',
      '--otp',
      alice.code(),
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^client gateway \(passcode\) from 127\.0\.0\.2 to /);
  });

  it('exits 2 when no answer comes: a wrong shared secret is dropped without a word', async () => {
    await serve();
    const wrongSecret = 'not-the-secret-of-the-vpn';
    const env = {
      ...t!.env,
      PFORTE_RADIUS_CLIENTS: JSON.stringify([radiusClient({ secret: wrongSecret })]),
    };
    const result = await radiusTest(
      ['--client', 'vpn', '--user', 'alice', '--timeout', '0.3', '--otp', alice.code()],
      PASSWORD,
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`no answer from 127.0.0.1:${t!.port} within 0.3 s`);
    expect(result.stderr).toContain('a wrong shared secret');
    expect(t!.server.counters().dropped.bad_authenticator).toBeGreaterThanOrEqual(1);
    expectNothingSecret(result, wrongSecret);
  });

  it('exits 2 on an answer whose authenticators are wrong (an impostor, another secret), as a NAS discards it', async () => {
    await serve();
    // A server that accepts everything, under a secret that is not the client's.
    const impostor = createSocket('udp4');
    impostor.on('message', (message, peer) => {
      const answer = writeAnswer(
        readPacket(message),
        CODE.accessAccept,
        [],
        Buffer.from('another-secret-entirely'),
      );
      impostor.send(answer, peer.port, peer.address);
    });
    await new Promise<void>((resolve) => impostor.bind(0, '127.0.0.1', resolve));
    try {
      const result = await cli(t!.env, [
        'radius',
        'test',
        '--port',
        String(impostor.address().port),
        '--client',
        'vpn',
        '--user',
        'alice',
        '--password',
        PASSWORD,
        '--otp',
        '123456',
      ]);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(
        'Access-Accept\n  Response Authenticator: wrong\n  Message-Authenticator:  wrong\n',
      );
      expect(result.stderr).toContain('a NAS discards this answer');
    } finally {
      impostor.close();
    }
  });

  it('exits 2 at once when nothing listens on the port', async () => {
    await serve();
    const closed = createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    await new Promise<void>((resolve) => closed.close(resolve));
    const result = await cli(t!.env, [
      'radius',
      'test',
      '--port',
      String(port),
      '--client',
      'vpn',
      '--user',
      'alice',
      '--password',
      PASSWORD,
      '--otp',
      '123456',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      `no answer: nothing listens on 127.0.0.1:${port} (port unreachable)`,
    );
  });

  it('warns when this machine sends from an address the client does not cover', async () => {
    await serve([{ address: '192.0.2.0/24', mode: 'passcode' }]);
    const result = await radiusTest([
      '--client',
      'vpn',
      '--user',
      'alice',
      '--timeout',
      '0.2',
      '--otp',
      alice.code(),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'warning: this machine sends from 127.0.0.1, which no client covers (vpn is 192.0.2.0/24): the server will drop the request',
    );
    await expect
      .poll(() => t!.server.counters().dropped.unknown_client, { timeout: 5000 })
      .toBeGreaterThanOrEqual(1);
  });

  it('refuses an unknown client name, an unknown host and a server that is off', async () => {
    await serve();
    const unknown = await radiusTest(['--client', 'nope', '--user', 'alice']);
    expect(unknown).toEqual({
      code: 1,
      stdout: '',
      stderr: 'pforte: no RADIUS client is named nope (pforte radius clients lists them)\n',
    });
    const nowhere = await radiusTest(
      ['--client', 'vpn', '--user', 'alice', '--host', 'no-such-host.invalid', '--otp', '123456'],
      PASSWORD,
    );
    expect(nowhere).toEqual({
      code: 1,
      stdout: '',
      stderr: `pforte: cannot send to no-such-host.invalid:${t!.port}: the host name is unknown\n`,
    });
    const off = await cli({ ...t!.env, PFORTE_RADIUS_PORT: '-1' }, [
      'radius',
      'test',
      '--client',
      'vpn',
      '--user',
      'alice',
      '--otp',
      '123456',
      '--password',
      PASSWORD,
    ]);
    expect(off.code).toBe(2);
    expect(off.stderr).toContain(
      'the RADIUS server is off (PFORTE_RADIUS_PORT is -1): give --port',
    );
  });

  it('lists the clients with mode, Message-Authenticator, class and budget, never a secret', async () => {
    await serve();
    const secretFile = join(t!.dataDir, 'gateway.secret');
    writeFileSync(secretFile, 'secret-of-the-gateway-in-a-file\n', { mode: 0o600 });
    const env = {
      ...t!.env,
      PFORTE_RADIUS_CLIENTS: JSON.stringify([
        radiusClient({ class: 'vpn-staff' }),
        {
          name: 'wifi',
          address: '10.20.0.0/16',
          secretFile,
          mode: 'challenge',
          requireMessageAuthenticator: false,
          lang: 'en',
          requestsPerSecond: 50,
        },
      ]),
    };
    const table = await cli(env, ['radius', 'clients']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')).toEqual([
      expect.stringMatching(
        /^NAME +ADDRESS +MODE +MESSAGE-AUTHENTICATOR +CLASS +REQ\/S +LANG +SECRET$/,
      ),
      expect.stringMatching(
        /^vpn +127\.0\.0\.1 +password\+passcode +required +vpn-staff +200 +de +set$/,
      ),
      expect.stringMatching(
        new RegExp(
          `^wifi +10\\.20\\.0\\.0/16 +challenge +not required +- +50 +en +file ${secretFile}$`,
        ),
      ),
      '',
    ]);
    const listed = await cli(env, ['radius', 'clients', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        name: 'vpn',
        address: '127.0.0.1',
        mode: 'password+passcode',
        requireMessageAuthenticator: true,
        lang: 'de',
        class: 'vpn-staff',
        requestsPerSecond: 200,
        secret: 'set',
      },
      {
        name: 'wifi',
        address: '10.20.0.0/16',
        mode: 'challenge',
        requireMessageAuthenticator: false,
        lang: 'en',
        class: null,
        requestsPerSecond: 50,
        secret: `file ${secretFile}`,
      },
    ]);
    for (const result of [table, listed]) expectNothingSecret(result, 'secret-of-the-gateway');
  });
});
