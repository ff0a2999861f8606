/**
 * RADIUS packets (RFC 2865 section 3): reading a request and writing an answer, with the
 * three pieces of cryptography the protocol has — the hidden User-Password (section
 * 5.2), the Response Authenticator (section 3) and the Message-Authenticator (RFC 3579
 * section 3.2), which BlastRADIUS (CVE-2024-3596) made mandatory on requests.
 *
 * Written here rather than taken from npm: the one maintained-looking package compares
 * authenticators as UTF-8 strings (lossy, so different MACs can compare equal) and not
 * in constant time, and cannot be told to require a Message-Authenticator. This file
 * is the whole of the wire format; nothing else touches bytes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const CODE = {
  accessRequest: 1,
  accessAccept: 2,
  accessReject: 3,
  accessChallenge: 11,
} as const;

export const ATTRIBUTE = {
  userName: 1,
  userPassword: 2,
  chapPassword: 3,
  replyMessage: 18,
  state: 24,
  class: 25,
  vendorSpecific: 26,
  callingStationId: 31,
  proxyState: 33,
  chapChallenge: 60,
  eapMessage: 79,
  messageAuthenticator: 80,
} as const;

const HEADER_LENGTH = 20;
/** RFC 2865 section 3: a packet is 20 to 4096 octets. */
const MAX_LENGTH = 4096;
const AUTHENTICATOR_LENGTH = 16;
/** RFC 2865 section 5.2: the hidden password is 16 to 128 octets, in blocks of 16. */
const MAX_PASSWORD_LENGTH = 128;

export class MalformedPacket extends Error {}

export interface Attribute {
  type: number;
  value: Buffer;
}

export interface RadiusRequest {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: Attribute[];
  /** The bytes as received: the Message-Authenticator is checked over them. */
  raw: Buffer;
}

/** Reads a packet's structure; throws MalformedPacket for anything RFC 2865 does not allow. */
export function readPacket(raw: Buffer): RadiusRequest {
  if (raw.length < HEADER_LENGTH) throw new MalformedPacket('shorter than a header');
  const length = raw.readUInt16BE(2);
  // Octets beyond Length are padding to be ignored; fewer than Length is a broken packet.
  if (length < HEADER_LENGTH || length > MAX_LENGTH || length > raw.length) {
    throw new MalformedPacket(`length ${length} does not fit the ${raw.length} octets received`);
  }
  const packet = raw.subarray(0, length);
  const attributes: Attribute[] = [];
  for (let at = HEADER_LENGTH; at < length;) {
    if (at + 2 > length) throw new MalformedPacket('an attribute is cut off');
    const type = packet[at]!;
    const size = packet[at + 1]!;
    if (size < 2 || at + size > length)
      throw new MalformedPacket(`attribute ${type} has length ${size}`);
    attributes.push({ type, value: packet.subarray(at + 2, at + size) });
    at += size;
  }
  return {
    code: packet[0]!,
    identifier: packet[1]!,
    authenticator: packet.subarray(4, HEADER_LENGTH),
    attributes,
    raw: packet,
  };
}

export function attributeOf(request: RadiusRequest, type: number): Buffer | undefined {
  return request.attributes.find((a) => a.type === type)?.value;
}

export function countOf(request: RadiusRequest, type: number): number {
  return request.attributes.filter((a) => a.type === type).length;
}

/**
 * Whether the request's Message-Authenticator is the HMAC-MD5 of the packet under the
 * secret, with the attribute's own value zeroed (RFC 3579 section 3.2). False when it is
 * missing, repeated or of the wrong size.
 */
export function hasValidMessageAuthenticator(request: RadiusRequest, secret: Buffer): boolean {
  const found = request.attributes.filter((a) => a.type === ATTRIBUTE.messageAuthenticator);
  if (found.length !== 1 || found[0]!.value.length !== AUTHENTICATOR_LENGTH) return false;
  const given = found[0]!.value;
  const copy = Buffer.from(request.raw);
  copy.fill(
    0,
    given.byteOffset - request.raw.byteOffset,
    given.byteOffset - request.raw.byteOffset + 16,
  );
  const expected = createHmac('md5', secret).update(copy).digest();
  return timingSafeEqual(expected, given);
}

/**
 * The User-Password in clear (RFC 2865 section 5.2): each 16-octet block XORed with
 * MD5(secret + the previous block), the first with the Request Authenticator; the
 * padding NULs taken off. Undefined when the attribute's length is not allowed.
 */
export function revealPassword(
  hidden: Buffer,
  secret: Buffer,
  authenticator: Buffer,
): Buffer | undefined {
  if (hidden.length === 0 || hidden.length % 16 !== 0 || hidden.length > MAX_PASSWORD_LENGTH) {
    return undefined;
  }
  const clear = Buffer.alloc(hidden.length);
  let previous = authenticator;
  for (let at = 0; at < hidden.length; at += 16) {
    const mask = createHash('md5').update(secret).update(previous).digest();
    for (let i = 0; i < 16; i++) clear[at + i] = hidden[at + i]! ^ mask[i]!;
    previous = hidden.subarray(at, at + 16);
  }
  const end = clear.indexOf(0);
  return end === -1 ? clear : clear.subarray(0, end);
}

/** Hides a password as a client does (RFC 2865 section 5.2): for `pforte radius test` and tests. */
export function hidePassword(clear: Buffer, secret: Buffer, authenticator: Buffer): Buffer {
  const padded = Buffer.alloc(Math.max(16, Math.ceil(clear.length / 16) * 16));
  clear.copy(padded);
  const hidden = Buffer.alloc(padded.length);
  let previous = authenticator;
  for (let at = 0; at < padded.length; at += 16) {
    const mask = createHash('md5').update(secret).update(previous).digest();
    for (let i = 0; i < 16; i++) hidden[at + i] = padded[at + i]! ^ mask[i]!;
    previous = hidden.subarray(at, at + 16);
  }
  return hidden;
}

/**
 * An answer to `request`: the Message-Authenticator first (the order BlastRADIUS
 * guidance asks for, so no attribute before it can be forged), then `attributes`, then
 * the request's Proxy-States in their order (RFC 2865 section 5.33); the Response
 * Authenticator over it all (section 3).
 */
export function writeAnswer(
  request: RadiusRequest,
  code: number,
  attributes: Attribute[],
  secret: Buffer,
): Buffer {
  const proxyStates = request.attributes.filter((a) => a.type === ATTRIBUTE.proxyState);
  // RFC 3579 section 3.2: over the answer with the Request Authenticator in its header.
  const packet = encodeSigned(
    code,
    request.identifier,
    request.authenticator,
    [...attributes, ...proxyStates],
    secret,
  );
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

/** An Access-Request as a client sends it, with a Message-Authenticator (for the CLI's test and the tests). */
export function writeRequest(
  identifier: number,
  authenticator: Buffer,
  attributes: Attribute[],
  secret: Buffer,
): Buffer {
  return encodeSigned(CODE.accessRequest, identifier, authenticator, attributes, secret);
}

/**
 * Whether an answer's Message-Authenticator is right: the HMAC-MD5 of the answer under the
 * secret, with the Request Authenticator in its header and the attribute's value zeroed
 * (RFC 3579 section 3.2). 'missing' when it has none; a repeated one is 'wrong'.
 */
export function checkAnswerMessageAuthenticator(
  answer: RadiusRequest,
  requestAuthenticator: Buffer,
  secret: Buffer,
): 'right' | 'wrong' | 'missing' {
  const found = answer.attributes.filter((a) => a.type === ATTRIBUTE.messageAuthenticator);
  if (found.length === 0) return 'missing';
  if (found.length > 1 || found[0]!.value.length !== AUTHENTICATOR_LENGTH) return 'wrong';
  const given = found[0]!.value;
  const at = given.byteOffset - answer.raw.byteOffset;
  const copy = Buffer.from(answer.raw);
  requestAuthenticator.copy(copy, 4);
  copy.fill(0, at, at + AUTHENTICATOR_LENGTH);
  const expected = createHmac('md5', secret).update(copy).digest();
  return timingSafeEqual(expected, given) ? 'right' : 'wrong';
}

/** Whether `answer` is a genuine answer to the request whose authenticator was `authenticator`. */
export function isGenuineAnswer(answer: Buffer, authenticator: Buffer, secret: Buffer): boolean {
  if (answer.length < HEADER_LENGTH) return false;
  const copy = Buffer.from(answer);
  authenticator.copy(copy, 4);
  const expected = createHash('md5').update(copy).update(secret).digest();
  return timingSafeEqual(expected, answer.subarray(4, HEADER_LENGTH));
}

/** An attribute with a text value, cut to the 253 octets an attribute can hold. */
export function textAttribute(type: number, text: string): Attribute {
  return { type, value: Buffer.from(text, 'utf8').subarray(0, 253) };
}

/** A packet with the Message-Authenticator first, computed over it (RFC 3579 section 3.2). */
function encodeSigned(
  code: number,
  identifier: number,
  authenticator: Buffer,
  attributes: Attribute[],
  secret: Buffer,
): Buffer {
  const packet = encode(code, identifier, authenticator, [
    { type: ATTRIBUTE.messageAuthenticator, value: Buffer.alloc(AUTHENTICATOR_LENGTH) },
    ...attributes,
  ]);
  createHmac('md5', secret)
    .update(packet)
    .digest()
    .copy(packet, HEADER_LENGTH + 2);
  return packet;
}

function encode(
  code: number,
  identifier: number,
  authenticator: Buffer,
  attributes: Attribute[],
): Buffer {
  const parts: Buffer[] = [];
  for (const { type, value } of attributes) {
    if (value.length > 253) throw new Error(`attribute ${type} is longer than 253 octets`);
    parts.push(Buffer.from([type, value.length + 2]), value);
  }
  const body = Buffer.concat(parts);
  const packet = Buffer.alloc(HEADER_LENGTH + body.length);
  if (packet.length > MAX_LENGTH) throw new Error('answer longer than 4096 octets');
  packet[0] = code;
  packet[1] = identifier;
  packet.writeUInt16BE(packet.length, 2);
  authenticator.copy(packet, 4);
  body.copy(packet, HEADER_LENGTH);
  return packet;
}
