/**
 * A message's id is typed after `pforte outbox show`: it must never read as an option.
 * (Ids were base64url, and one in 32 began with '-': `pforte outbox show -Oa…` said
 * "unknown option -O".)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Random } from '../../src/clock.js';
import { enqueueMail } from '../../src/mail/outbox.js';
import { cli } from '../helpers/cli.js';
import { makeCore, type TestCore } from '../helpers/core.js';

describe('pforte outbox show, for every id the outbox gives', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await makeCore('sqlite');
  });
  afterAll(() => t.close());

  it('shows the message whose random id bytes would have begun with a dash', async () => {
    // 0xfb… is "-" in base64url's first character.
    const dashFirst: Random = { ...t.core.random, bytes: (n) => Buffer.alloc(n, 0xfb) };
    const { id } = await enqueueMail(
      { ...t.core, random: dashFirst },
      {
        kind: 'test',
        to: { name: 'Alice', address: 'alice@example.org' },
        subject: 'Ihr Zugang',
        text: 'hello',
        html: '<p>hello</p>',
      },
    );
    const shown = await cli(t.env, ['outbox', 'show', id]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Ihr Zugang');
  });
});
