/**
 * The devices that may ask Pforte over RADIUS (`PFORTE_RADIUS_CLIENTS`): each known by
 * its address or range, with its shared secret (read from its file at start), its mode
 * and its limits. A request from an address no client covers is dropped unread.
 */
import { BlockList, isIP } from 'node:net';
import type { Config } from '../config/schema.js';
import { readSecret } from '../config/secret-file.js';
import { PforteError } from '../errors.js';

export type RadiusClientConfig = Config['radius']['clients'][number];

export interface RadiusClient extends Omit<RadiusClientConfig, 'secret' | 'secretFile'> {
  secret: Buffer;
  /** Whether `address` (the datagram's source) is this client's. */
  covers(address: string): boolean;
}

/** The configured clients with their secrets; throws naming the client whose file cannot be read. */
export function loadRadiusClients(
  clients: readonly RadiusClientConfig[],
  read?: (path: string) => Buffer,
): RadiusClient[] {
  return clients.map(({ secret, secretFile, ...client }) => {
    const shared = Buffer.from(
      readSecret(`RADIUS client ${client.name}`, secret, secretFile, read),
    );
    if (shared.length < 16) {
      throw new PforteError(
        'ERR_START_FAILED',
        `RADIUS client ${client.name}: the secret in ${secretFile} is shorter than 16 characters`,
      );
    }
    return { ...client, secret: shared, covers: coverageOf(client.address) };
  });
}

/** Whether a source address lies in `address` (an IP or a CIDR range, as configured). */
export function coverageOf(address: string): (from: string) => boolean {
  const range = new BlockList();
  const [first, bits] = address.split('/') as [string, string | undefined];
  const family = isIP(first) === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) range.addAddress(first, family);
  else range.addSubnet(first, Number(bits), family);
  return (from) => {
    const kind = isIP(from);
    if (kind === 0) return false;
    // An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d.
    const plain = from.startsWith('::ffff:') && isIP(from.slice(7)) === 4 ? from.slice(7) : from;
    return range.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  };
}

/** The first client whose address or range holds `address`. */
export function findRadiusClient(
  clients: readonly RadiusClient[],
  address: string,
): RadiusClient | undefined {
  return clients.find((client) => client.covers(address));
}
