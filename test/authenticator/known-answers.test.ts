/**
 * The app's cryptography against the published test vectors, step by step: the seed
 * derivation (HKDF-SHA-256, RFC 5869), the PIN key (PBKDF2-HMAC-SHA-256, RFC 7914
 * section 11), the seed's encryption (AES-256-CTR, NIST SP 800-38A F.5.5), and the
 * passcodes it shows (RFC 6238 Appendix B, RFC 4226 Appendix D).
 */
import { describe, expect, it } from 'vitest';
import { computePasscode } from '../../src/authenticator/passcode.js';
import { aesCTR, pbkdf2SHA256 } from '../../src/authenticator/vault.js';
import { hkdfSHA256 } from '../../src/protocol/activation.js';

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('the authenticator cryptography, known answers', () => {
  it('HKDF-SHA-256: RFC 5869 Appendix A.1 (test case 1)', async () => {
    const okm = await hkdfSHA256(
      hex('0b'.repeat(22)),
      hex('000102030405060708090a0b0c'),
      hex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(toHex(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('HKDF-SHA-256: RFC 5869 Appendix A.3 (test case 3, empty salt and info)', async () => {
    const okm = await hkdfSHA256(hex('0b'.repeat(22)), new Uint8Array(0), new Uint8Array(0), 42);
    expect(toHex(okm)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('PBKDF2-HMAC-SHA-256: RFC 7914 section 11', async () => {
    const salt = new TextEncoder().encode('salt');
    expect(toHex(await pbkdf2SHA256('passwd', salt, 1, 64))).toBe(
      '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc' +
        '49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783',
    );
    const nacl = new TextEncoder().encode('NaCl');
    expect(toHex(await pbkdf2SHA256('Password', nacl, 80000, 64))).toBe(
      '4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56' +
        'a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d',
    );
  });

  it('AES-256-CTR: NIST SP 800-38A F.5.5, and decrypting is encrypting again', async () => {
    const key = hex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
    const counter = hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
    const plain = hex(
      '6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51' +
        '30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710',
    );
    const cipher = await aesCTR(key, counter, plain);
    expect(toHex(cipher)).toBe(
      '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5' +
        '2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6',
    );
    expect(toHex(await aesCTR(key, counter, cipher))).toBe(toHex(plain));
  });

  it.each([
    [59, '94287082', 'SHA1', '3132333435363738393031323334353637383930'],
    [1111111109, '07081804', 'SHA1', '3132333435363738393031323334353637383930'],
    [
      1234567890,
      '91819424',
      'SHA256',
      '3132333435363738393031323334353637383930313233343536373839303132',
    ],
    [
      20000000000,
      '47863826',
      'SHA512',
      '31323334353637383930313233343536373839303132333435363738393031323334353637383930313233343536373839303132333435363738393031323334',
    ],
  ] as const)(
    'shows the RFC 6238 Appendix B passcode at T=%i',
    (seconds, code, algorithm, seed) => {
      const shown = computePasscode(
        hex(seed),
        { type: 'totp', algorithm, digits: 8, period: 30, counter: 0 },
        seconds * 1000,
      );
      expect(shown).toEqual({ type: 'totp', code, secondsLeft: 30 - (seconds % 30), period: 30 });
    },
  );

  it('shows the RFC 4226 Appendix D passcodes for HOTP, counter by counter', () => {
    const seed = hex('3132333435363738393031323334353637383930');
    const codes = [0, 1, 2, 9].map(
      (counter) =>
        computePasscode(
          seed,
          { type: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter },
          0,
        ).code,
    );
    expect(codes).toEqual(['755224', '287082', '359152', '520489']);
  });
});
