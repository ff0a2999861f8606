/**
 * `pforte radius …`: the RADIUS clients as configured, and one exchange with the running
 * server as one of them would have it (exit 0 accept, 1 reject, 2 no answer a NAS would
 * take). Neither opens the database; neither prints a secret, a password or a code.
 */
import { accessSync, constants } from 'node:fs';
import { isIP } from 'node:net';
import type { Config } from '../../config/schema.js';
import { invalid, PforteError } from '../../errors.js';
import { coverageOf, loadRadiusClients, type RadiusClient } from '../../radius/clients.js';
import { ATTRIBUTE, CODE, hidePassword, textAttribute } from '../../radius/packet.js';
import { isLoopback, openProbe, type NoAnswer, type ProbeAnswer } from '../../radius/probe.js';
import { usageError, type Command, type CommandContext, type OptionValues } from '../command.js';
import { cellText, print, printJSON, printTable } from '../io.js';
import { createAsker } from '../prompt.js';

type ClientConfig = Config['radius']['clients'][number];

const CODE_NAMES: Record<number, string> = {
  [CODE.accessAccept]: 'Access-Accept',
  [CODE.accessReject]: 'Access-Reject',
  [CODE.accessChallenge]: 'Access-Challenge',
};

/** RFC 2865 section 5.2: a User-Password holds at most 128 octets. */
const MAX_PASSWORD_OCTETS = 128;

export const radiusCommands: Command[] = [
  {
    name: 'radius clients',
    summary: 'List the RADIUS clients: address, mode, Message-Authenticator (never the secret)',
    usage: '[--json]',
    async run(ctx) {
      const clients = ctx.config.radius.clients;
      if (ctx.json) printJSON(ctx.io, clients.map(describeClient));
      else {
        const rows = clients.map((client) => ({
          name: client.name,
          address: client.address,
          mode: client.mode,
          'message-authenticator': client.requireMessageAuthenticator ? 'required' : 'not required',
          class: client.class || undefined,
          'req/s': client.requestsPerSecond,
          lang: client.lang,
          secret: secretSource(client),
        }));
        printTable(
          ctx.io,
          rows,
          ['name', 'address', 'mode', 'message-authenticator', 'class', 'req/s', 'lang', 'secret'],
          '(no RADIUS clients)',
        );
      }
      if (ctx.config.radius.port < 0) {
        ctx.io.stderr.write('the RADIUS server is off (PFORTE_RADIUS_PORT is -1)\n');
      }
      return 0;
    },
  },
  {
    name: 'radius test',
    summary:
      'Sign in once over RADIUS as a configured client would; exit 0 accept, 1 reject, 2 no answer',
    usage:
      '--client <name> --user <username> [--password <password>] [--otp <code>] [--host <host>] [--port <port>] [--timeout <seconds>] [--json]',
    help: [
      "Sends from this machine with the client's shared secret and mode: password+passcode",
      'sends them joined, passcode the code alone, challenge the password and then, after the',
      "Access-Challenge's prompt, the code with its State. A password or code not given is",
      'asked for on the terminal without echo, or read as one line of standard input each.',
      'Options on a command line can be seen by other users of the machine: prefer the prompt.',
      '',
      "The server drops a request from an address the client does not cover. When the client's",
      'address is a single loopback address (127.0.0.2), the request is sent from it; otherwise',
      "from the address the system chooses, and a warning says when that is not the client's.",
      "To test a remote device's client from here, add a client for 127.0.0.1 with the same mode.",
    ].join('\n'),
    options: {
      client: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      otp: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      timeout: { type: 'string' },
    },
    run: (ctx, options) => testExchange(ctx, options),
  },
];

/** A client as `radius clients --json` shows it: every setting but the secret's value. */
function describeClient(client: ClientConfig) {
  return {
    name: client.name,
    address: client.address,
    mode: client.mode,
    requireMessageAuthenticator: client.requireMessageAuthenticator,
    lang: client.lang,
    class: client.class || null,
    requestsPerSecond: client.requestsPerSecond,
    secret: secretSource(client),
  };
}

/** Where the secret comes from: "set", or "file <path>" and whether it can be read. */
function secretSource(client: ClientConfig): string {
  if (!client.secretFile) return client.secret ? 'set' : 'missing';
  try {
    accessSync(client.secretFile, constants.R_OK);
    return `file ${client.secretFile}`;
  } catch (error) {
    return `file ${client.secretFile} (cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

async function testExchange(ctx: CommandContext, options: OptionValues): Promise<number> {
  const { io, config } = ctx;
  const name = stringOption(options, 'client');
  const username = stringOption(options, 'user');
  const configured = config.radius.clients.find((c) => c.name === name);
  if (!configured) {
    throw new PforteError(
      'ERR_NOT_FOUND',
      `no RADIUS client is named ${name} (pforte radius clients lists them)`,
    );
  }
  const [client] = loadRadiusClients([configured]) as [RadiusClient];
  const host = typeof options.host === 'string' ? options.host : config.radius.host;
  const port = readPort(options, config.radius.port);
  const timeoutMs = readTimeout(options) * 1000;

  const ask = createAsker(io);
  const given = (option: string) =>
    typeof options[option] === 'string' ? (options[option] as string) : undefined;
  if (client.mode === 'passcode' && given('password') !== undefined) {
    io.stderr.write(
      `--password is not sent: client ${client.name} checks it itself (passcode mode)\n`,
    );
  }
  const password =
    client.mode === 'passcode'
      ? undefined
      : (given('password') ?? (await ask('Password: ', 'password')));
  let otp = given('otp');
  if (client.mode !== 'challenge') otp ??= await ask('Token code: ', 'token code');

  const source = sendingAddress(client.address, host);
  const where = { server: `${host}:${port}`, timeoutMs };
  const probe = await openProbe({
    host,
    port,
    ...(source ? { source } : {}),
    secret: client.secret,
    timeoutMs,
  }).catch((error: NodeJS.ErrnoException) => {
    throw cannotSend(error, where.server, source);
  });
  const report: Record<string, unknown>[] = [];
  try {
    warnOfSource(ctx, client, probe.source.address);
    if (!ctx.json) {
      print(
        io,
        `client ${client.name} (${client.mode}) from ${probe.source.address} to ${where.server}`,
      );
    }
    const typed = client.mode === 'password+passcode' ? password! + otp! : (password ?? otp!);
    let answer = await probe.ask(accessRequest(client, username, typed));
    if (client.mode === 'challenge' && isChallenge(answer)) {
      show(ctx, report, answer, where);
      // The prompt itself was printed as the Reply-Message above.
      otp ??= await ask('Token code: ', 'token code');
      answer = await probe.ask(accessRequest(client, username, otp, answer.state));
    }
    const exit = show(ctx, report, answer, where);
    if (ctx.json) {
      printJSON(io, {
        client: client.name,
        mode: client.mode,
        source: probe.source.address,
        server: where.server,
        answers: report,
        result: report.at(-1)?.result,
      });
    }
    return exit;
  } finally {
    await probe.close();
  }
}

/** The attributes of an Access-Request; the typed text hidden under this request's authenticator. */
function accessRequest(client: RadiusClient, username: string, typed: string, state?: Buffer) {
  const clear = Buffer.from(typed, 'utf8');
  if (clear.length > MAX_PASSWORD_OCTETS) {
    throw invalid(
      `the text to send is longer than the ${MAX_PASSWORD_OCTETS} octets a User-Password holds (RFC 2865 section 5.2)`,
    );
  }
  return (authenticator: Buffer) => [
    textAttribute(ATTRIBUTE.userName, username),
    { type: ATTRIBUTE.userPassword, value: hidePassword(clear, client.secret, authenticator) },
    ...(state ? [{ type: ATTRIBUTE.state, value: state }] : []),
  ];
}

function isChallenge(answer: ProbeAnswer | NoAnswer): answer is ProbeAnswer & { state: Buffer } {
  return (
    'code' in answer && answer.code === CODE.accessChallenge && isGenuine(answer) && !!answer.state
  );
}

function isGenuine(answer: ProbeAnswer): boolean {
  return answer.responseAuthenticator === 'right' && answer.messageAuthenticator === 'right';
}

/** Prints one answer (or its absence) and says which exit code it means. */
function show(
  ctx: CommandContext,
  report: Record<string, unknown>[],
  answer: ProbeAnswer | NoAnswer,
  { server, timeoutMs }: { server: string; timeoutMs: number },
): number {
  const { io } = ctx;
  if ('none' in answer) {
    const why = {
      timeout: `no answer from ${server} within ${timeoutMs / 1000} s`,
      port_unreachable: `no answer: nothing listens on ${server} (port unreachable)`,
      malformed: `no answer: what came from ${server} is not a RADIUS packet`,
    }[answer.none];
    report.push({ result: 'no answer', reason: answer.none });
    if (!ctx.json) print(io, why);
    if (answer.none === 'timeout') {
      io.stderr.write(
        'a RADIUS server drops what it cannot trust without a word: a wrong shared secret, an address no client covers, a missing Message-Authenticator, a rate limit\n',
      );
    }
    return 2;
  }
  const genuine = isGenuine(answer);
  const code = CODE_NAMES[answer.code] ?? `code ${answer.code}`;
  const result = !genuine
    ? 'not genuine'
    : answer.code === CODE.accessAccept
      ? 'accept'
      : answer.code === CODE.accessChallenge
        ? 'challenge'
        : 'reject';
  report.push({
    code,
    replyMessage: answer.replyMessage ?? null,
    class: answer.class ?? null,
    state: answer.state ? answer.state.length : null,
    responseAuthenticator: answer.responseAuthenticator,
    messageAuthenticator: answer.messageAuthenticator,
    result,
  });
  if (!ctx.json) {
    const lines = [
      code,
      ...(answer.replyMessage !== undefined
        ? [`  Reply-Message:          ${cellText(answer.replyMessage)}`]
        : []),
      ...(answer.class !== undefined
        ? [`  Class:                  ${cellText(answer.class)}`]
        : []),
      ...(answer.state ? [`  State:                  ${answer.state.length} octets`] : []),
      `  Response Authenticator: ${answer.responseAuthenticator}`,
      `  Message-Authenticator:  ${answer.messageAuthenticator}`,
    ];
    print(io, lines.join('\n'));
  }
  if (!genuine) {
    io.stderr.write(
      'a NAS discards this answer (its authenticators are not right for this shared secret), as if none had come\n',
    );
    return 2;
  }
  return result === 'accept' ? 0 : 1;
}

/** A socket that cannot be had, in one line: an unknown host name, an address not this machine's. */
function cannotSend(error: NodeJS.ErrnoException, server: string, source?: string): Error {
  const why =
    error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
      ? 'the host name is unknown'
      : error.code === 'EADDRNOTAVAIL' && source
        ? `this machine has no address ${source}`
        : error.code;
  return why ? invalid(`cannot send to ${server}: ${why}`) : error;
}

/** The client's own address when it is one loopback address of the server's family: the request then comes from it. */
function sendingAddress(address: string, host: string): string | undefined {
  if (address.includes('/') || !isLoopback(address)) return undefined;
  const family = host.includes(':') ? 6 : 4;
  return isIP(address) === family ? address : undefined;
}

/** Says when the server will take the request for another client's, or for no client's. */
function warnOfSource(ctx: CommandContext, client: RadiusClient, source: string): void {
  const taken = ctx.config.radius.clients.find((c) => coverageOf(c.address)(source));
  if (!taken) {
    ctx.io.stderr.write(
      `warning: this machine sends from ${source}, which no client covers (${client.name} is ${client.address}): the server will drop the request\n`,
    );
  } else if (taken.name !== client.name) {
    ctx.io.stderr.write(
      `warning: this machine sends from ${source}, which the server takes for client ${taken.name} (listed first): the request will be checked with that client's secret\n`,
    );
  }
}

function stringOption(options: OptionValues, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw usageError(`--${name} is required`);
  return value;
}

function readPort(options: OptionValues, configured: number): number {
  if (typeof options.port === 'string') {
    const port = Number(options.port);
    if (!/^\d+$/.test(options.port) || port < 1 || port > 65535) {
      throw usageError('--port must be a number from 1 to 65535');
    }
    return port;
  }
  if (configured < 0)
    throw usageError('the RADIUS server is off (PFORTE_RADIUS_PORT is -1): give --port');
  if (configured === 0) {
    throw usageError('PFORTE_RADIUS_PORT is 0 (the system picks one at start): give --port');
  }
  return configured;
}

function readTimeout(options: OptionValues): number {
  if (typeof options.timeout !== 'string') return 5;
  const seconds = Number(options.timeout);
  if (!/^\d+(\.\d+)?$/.test(options.timeout) || seconds <= 0 || seconds > 300) {
    throw usageError('--timeout must be a number of seconds above 0, at most 300');
  }
  return seconds;
}
