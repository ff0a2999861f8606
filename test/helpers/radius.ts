/**
 * A RADIUS server on a test core (port 0 on loopback), and the clients that ask it:
 * Debian's `radclient` and `python3-pyrad` as a device would, a raw UDP socket for the
 * bytes no well-behaved client sends, and `oathtool` for the codes an app would show.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Config } from '../../src/config/schema.js';
import { createLogger } from '../../src/log.js';
import { startRadiusServer, type RadiusServer } from '../../src/radius/server.js';
import { makeCore, type TestCore, type TestDatabase } from './core.js';

/** The shared secret of the test clients (at least 16 characters, as Pforte requires). */
export const SECRET = 'shared-secret-of-the-vpn';

export type TestRadiusClient = Partial<Config['radius']['clients'][number]>;

export interface RadiusTest extends TestCore {
  server: RadiusServer;
  port: number;
  /** What the RADIUS server logged (JSON lines, level info and above). */
  logs(): string;
}

/** A core with a RADIUS server on 127.0.0.1 and a system-chosen port; one client `vpn` by default. */
export async function startRadius(
  database: TestDatabase,
  clients: TestRadiusClient[] = [{}],
  env: Record<string, string> = {},
): Promise<RadiusTest> {
  const t = await makeCore(database, {
    PFORTE_RADIUS_PORT: '0',
    PFORTE_RADIUS_HOST: '127.0.0.1',
    PFORTE_RADIUS_CLIENTS: JSON.stringify(clients.map((c) => radiusClient(c))),
    ...env,
  });
  let logs = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs += String(chunk);
      done();
    },
  });
  const server = await startRadiusServer({ ...t.core, log: createLogger('info', sink) });
  return {
    ...t,
    server,
    port: server.address.port,
    logs: () => logs,
    async close() {
      await server.close();
      await t.close();
    },
  };
}

export function radiusClient(client: TestRadiusClient = {}): TestRadiusClient {
  return { name: 'vpn', address: '127.0.0.1', secret: SECRET, ...client };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with `input` on its standard input; never throws for its exit code. */
export function run(command: string, args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A program that does not read its input (oathtool) may exit before it is written.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

export interface RadiusReply {
  /** `Access-Accept`, `Access-Reject`, `Access-Challenge`; undefined when nothing came back. */
  code: string | undefined;
  /** The answer's attributes as radclient prints them (strings without quotes, octets as 0x…). */
  attributes: Record<string, string[]>;
  output: string;
}

export interface RadclientOptions {
  secret?: string;
  /** Adds `Message-Authenticator = 0x00` (radclient then computes it); true by default. */
  messageAuthenticator?: boolean;
  /** Seconds radclient waits for an answer, with no retry. */
  timeout?: number;
}

/** One Access-Request by Debian's radclient; `attributes` as its input lines, e.g. `User-Name = "alice"`. */
export async function radclient(
  port: number,
  attributes: string[],
  options: RadclientOptions = {},
): Promise<RadiusReply> {
  const lines = [...attributes];
  if (options.messageAuthenticator !== false) lines.push('Message-Authenticator = 0x00');
  const result = await run(
    'radclient',
    [
      '-x',
      '-r',
      '1',
      '-t',
      String(options.timeout ?? 10),
      `127.0.0.1:${port}`,
      'auth',
      options.secret ?? SECRET,
    ],
    lines.join('\n') + '\n',
  );
  const output = result.stdout + result.stderr;
  const received = /^Received (Access-\w+) Id \d+ .*$/m.exec(output);
  const reply: RadiusReply = { code: received?.[1], attributes: {}, output };
  if (!received) return reply;
  const after = output.slice(received.index + received[0].length).split('\n');
  for (const line of after.slice(1)) {
    const match = /^\t(\S+) = (.*)$/.exec(line);
    if (!match) break;
    const value = match[2]!.replace(/^"(.*)"$/, '$1');
    (reply.attributes[match[1]!] ??= []).push(value);
  }
  return reply;
}

/** `User-Name` and `User-Password` lines for radclient. */
export function papLines(username: string, password: string, ...more: string[]): string[] {
  return [`User-Name = "${username}"`, `User-Password = "${password}"`, ...more];
}

/** The code `oathtool` shows for a TOTP seed (base32) at `at` ms: the reference implementation's. */
export async function oathtoolCode(base32: string, at: number): Promise<string> {
  const now = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const result = await run('oathtool', ['--totp', '--base32', `--now=${now}`, base32]);
  if (result.code !== 0) throw new Error(`oathtool failed: ${result.stderr}`);
  return result.stdout.trim();
}

const DICTIONARY = `ATTRIBUTE User-Name 1 string
ATTRIBUTE User-Password 2 string
ATTRIBUTE Reply-Message 18 string
ATTRIBUTE State 24 octets
ATTRIBUTE Class 25 octets
ATTRIBUTE Calling-Station-Id 31 string
ATTRIBUTE Message-Authenticator 80 octets
`;

/**
 * pyrad builds the request and checks the answer's Response Authenticator; it has no
 * Message-Authenticator (version 2.1), so the script adds and checks that one itself
 * with HMAC-MD5 (RFC 3579 section 3.2).
 */
const PYRAD_SCRIPT = `
import hashlib, hmac, json, socket, sys
import pyrad.packet
from pyrad.dictionary import Dictionary

args = json.loads(sys.argv[1])
secret = args["secret"].encode()
d = Dictionary(args["dictionary"])
req = pyrad.packet.AuthPacket(code=pyrad.packet.AccessRequest, secret=secret, dict=d)
if args["messageAuthenticator"]:
    req["Message-Authenticator"] = bytes(16)
req["User-Name"] = args["username"]
req["User-Password"] = req.PwCrypt(args["password"])
if args.get("state"):
    req["State"] = bytes.fromhex(args["state"])
raw = bytearray(req.RequestPacket())
if args["messageAuthenticator"]:
    # The first attribute (offset 20): type, length, then the 16 octets to fill.
    assert raw[20] == 80
    raw[22:38] = hmac.new(secret, bytes(raw), hashlib.md5).digest()

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(args["timeout"])
sock.sendto(bytes(raw), ("127.0.0.1", args["port"]))
try:
    data, _ = sock.recvfrom(4096)
except socket.timeout:
    print(json.dumps({"code": None}))
    sys.exit(0)

reply = req.CreateReply(packet=data)
out = {
    "code": reply.code,
    "genuine": req.VerifyReply(reply, data),
    "attributes": {k: [v.hex() if isinstance(v, bytes) else v for v in reply[k]] for k in reply.keys()},
}
# RFC 3579 section 3.2: HMAC-MD5 over the answer with the Request Authenticator in its
# header and the Message-Authenticator's value zeroed.
at, found = 20, []
while at < len(data):
    kind, size = data[at], data[at + 1]
    if kind == 80:
        found.append(at)
    at += size
out["messageAuthenticatorAt"] = found
if len(found) == 1:
    copy = bytearray(data)
    copy[4:20] = req.authenticator
    given = bytes(copy[found[0] + 2:found[0] + 18])
    copy[found[0] + 2:found[0] + 18] = bytes(16)
    out["messageAuthenticatorValid"] = hmac.compare_digest(given, hmac.new(secret, bytes(copy), hashlib.md5).digest())
print(json.dumps(out))
`;

let pyradFiles: { script: string; dictionary: string } | undefined;

export interface PyradReply {
  code: number | null;
  genuine?: boolean;
  attributes?: Record<string, string[]>;
  /** Offsets of the Message-Authenticator attributes in the answer. */
  messageAuthenticatorAt?: number[];
  messageAuthenticatorValid?: boolean;
}

/** One Access-Request by python3-pyrad (Debian's, hence /usr/bin/python3). */
export async function pyrad(
  port: number,
  request: {
    username: string;
    password: string;
    state?: string;
    secret?: string;
    messageAuthenticator?: boolean;
    timeout?: number;
  },
): Promise<PyradReply> {
  if (!pyradFiles) {
    const dir = mkdtempSync(join(tmpdir(), 'pforte-pyrad-'));
    pyradFiles = { script: join(dir, 'ask.py'), dictionary: join(dir, 'dictionary') };
    writeFileSync(pyradFiles.script, PYRAD_SCRIPT);
    writeFileSync(pyradFiles.dictionary, DICTIONARY);
  }
  const args = {
    port,
    secret: request.secret ?? SECRET,
    dictionary: pyradFiles.dictionary,
    username: request.username,
    password: request.password,
    state: request.state,
    messageAuthenticator: request.messageAuthenticator ?? true,
    timeout: request.timeout ?? 10,
  };
  const result = await run('/usr/bin/python3', [pyradFiles.script, JSON.stringify(args)]);
  if (result.code !== 0) throw new Error(`pyrad failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as PyradReply;
}

/** A UDP socket for bytes written by hand; answers are read in the order they come. */
export interface UdpClient {
  socket: Socket;
  send(packet: Buffer, port: number): Promise<void>;
  /** The next datagram received (waits for it). */
  next(): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openUdpClient(address = '127.0.0.1'): Promise<UdpClient> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  const waiting: ((message: Buffer) => void)[] = [];
  socket.on('message', (message) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else received.push(message);
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return {
    socket,
    send: (packet, port) =>
      new Promise((resolve, reject) =>
        socket.send(packet, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      ),
    next: () => {
      const first = received.shift();
      return first ? Promise.resolve(first) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** `packet` (from writeRequest) without its Message-Authenticator, as an old device sends it. */
export function withoutMessageAuthenticator(packet: Buffer): Buffer {
  if (packet[20] !== 80) throw new Error('writeRequest puts the Message-Authenticator first');
  const stripped = Buffer.concat([packet.subarray(0, 20), packet.subarray(38)]);
  stripped.writeUInt16BE(stripped.length, 2);
  return stripped;
}
