/**
 * The published test values of HOTP (RFC 4226 Appendix D) and TOTP (RFC 6238 Appendix B,
 * errata-corrected): what the authenticator's codes (src/otp/) and the server's window
 * (src/tokens/hotp-window.ts) are each held to.
 */
import type { OtpAlgorithm } from '../../src/otp/codes.js';

const ascii = (text: string) => new TextEncoder().encode(text);

/** RFC 4226 Appendix D: the seed, and the 6-digit HOTP value of counters 0 to 9. */
export const RFC4226 = {
  seed: ascii('12345678901234567890'),
  codes: [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ],
};

/** RFC 6238 Appendix B: the seeds (the ASCII digits repeated to the hash's length). */
export const RFC6238_SEEDS: Record<OtpAlgorithm, Uint8Array> = {
  SHA1: ascii('12345678901234567890'),
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};

/** RFC 6238 Appendix B: the time in seconds, its step T (hex), the algorithm and the 8-digit code. */
export const RFC6238: [number, string, OtpAlgorithm, string][] = [
  [59, '0000000000000001', 'SHA1', '94287082'],
  [59, '0000000000000001', 'SHA256', '46119246'],
  [59, '0000000000000001', 'SHA512', '90693936'],
  [1111111109, '00000000023523EC', 'SHA1', '07081804'],
  [1111111109, '00000000023523EC', 'SHA256', '68084774'],
  [1111111109, '00000000023523EC', 'SHA512', '25091201'],
  [1111111111, '00000000023523ED', 'SHA1', '14050471'],
  [1111111111, '00000000023523ED', 'SHA256', '67062674'],
  [1111111111, '00000000023523ED', 'SHA512', '99943326'],
  [1234567890, '000000000273EF07', 'SHA1', '89005924'],
  [1234567890, '000000000273EF07', 'SHA256', '91819424'],
  [1234567890, '000000000273EF07', 'SHA512', '93441116'],
  [2000000000, '0000000003F940AA', 'SHA1', '69279037'],
  [2000000000, '0000000003F940AA', 'SHA256', '90698825'],
  [2000000000, '0000000003F940AA', 'SHA512', '38618901'],
  [20000000000, '0000000027BC86AA', 'SHA1', '65353130'],
  [20000000000, '0000000027BC86AA', 'SHA256', '77737706'],
  [20000000000, '0000000027BC86AA', 'SHA512', '47863826'],
];
