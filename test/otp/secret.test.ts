import { describe, expect, it } from 'vitest';
import {
  parseBase32Secret,
  parseHexSecret,
  parseOtpauthUri,
  SecretFormatError,
} from '../../src/otp/secret.js';

const SEED_HEX = '3132333435363738393031323334353637383930';

describe('importing OATH secrets', () => {
  it('reads base32 with spaces, hyphens, lower case and padding (RFC 4648)', () => {
    const seed = parseBase32Secret('gezd gnbv-gy3t qojq gezd gnbv gy3t qojq==').seed;
    expect(Buffer.from(seed).toString('hex')).toBe(SEED_HEX);
  });

  it('reads hex with separators', () => {
    expect(Buffer.from(parseHexSecret(SEED_HEX.match(/../g)!.join(':')).seed).toString('hex')).toBe(
      SEED_HEX,
    );
  });

  it('reads an otpauth URI with its parameters', () => {
    const imported = parseOtpauthUri(
      'otpauth://hotp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME&algorithm=SHA256&digits=8&counter=42',
    );
    expect(imported.params).toEqual({ type: 'hotp', algorithm: 'SHA256', digits: 8 });
    expect(imported.counter).toBe(42);
    expect(imported.issuer).toBe('ACME');
  });

  it.each([
    ['base32 with a letter outside the alphabet', () => parseBase32Secret('GEZDGNBV1')],
    ['base32 shorter than 128 bits', () => parseBase32Secret('GEZDGNBV')],
    ['hex with an odd length', () => parseHexSecret('abc')],
    ['hex that is not hex', () => parseHexSecret('zz'.repeat(20))],
    ['a URI of another scheme', () => parseOtpauthUri('https://example.org/?secret=GEZD')],
    [
      'a URI with 7 digits',
      () => parseOtpauthUri('otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=7'),
    ],
    [
      'a URI with a 45 s period',
      () => parseOtpauthUri('otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=45'),
    ],
    ['a URI without a secret', () => parseOtpauthUri('otpauth://totp/a?issuer=x')],
  ])('refuses %s with a clear message', (_name, parse) => {
    expect(parse).toThrow(SecretFormatError);
  });
});
