import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = new Map(
  [...doc.matchAll(/^\|\s*`(ERR_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [
    m[1]!,
    Number(m[2]),
  ]),
);

describe('docs/errors.md', () => {
  it('documents every error code with its HTTP status', () => {
    for (const [code, status] of Object.entries(ERROR_CODES)) {
      expect({ code, status: documented.get(code) }).toEqual({ code, status });
    }
  });

  it('documents no code that the server does not have', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
