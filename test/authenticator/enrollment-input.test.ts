/** What the user gives the app to import a token, read down to the activation code. */
import { describe, expect, it } from 'vitest';
import { readEnrollmentInput } from '../../src/authenticator/enrollment-input.js';

const ORIGIN = 'https://sso.example.org';
const CODE = 'K3H90S99KVF039XB2AYZ2T7HF';

describe('reading an enrollment string, link or QR code', () => {
  it.each([
    ['the code as shown', 'K3H90-S99KV-F039X-B2AYZ-2T7HF'],
    ['typed in lower case with spaces', 'k3h90 s99kv f039x b2ayz 2t7hf'],
    ['with O and I for 0 and 1', 'K3H9O-S99KV-FO39X-B2AYZ-2T7HF'],
    ['the enrollment page link', `${ORIGIN}/enroll/${CODE}`],
    ['the app link', `${ORIGIN}/app/#enroll=${CODE}`],
    ['pasted with surrounding blanks', `  ${CODE}\n`],
  ])('%s', (_name, input) => {
    expect(readEnrollmentInput(input, ORIGIN)).toEqual({ ok: true, code: CODE });
  });

  it.each([
    ['nothing', '   ', { ok: false, problem: 'empty' }],
    ['a character missing', CODE.slice(1), { ok: false, problem: 'malformed' }],
    ['a character not in the alphabet', `U${CODE.slice(1)}`, { ok: false, problem: 'malformed' }],
    ['a link without a code', `${ORIGIN}/help/android`, { ok: false, problem: 'malformed' }],
    [
      'another server’s link',
      `https://evil.example/enroll/${CODE}`,
      { ok: false, problem: 'other_server', host: 'evil.example' },
    ],
  ])('refuses %s with the reason', (_name, input, expected) => {
    expect(readEnrollmentInput(input, ORIGIN)).toEqual(expected);
  });
});
