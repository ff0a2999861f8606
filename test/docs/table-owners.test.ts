/**
 * One area owns each table and its state machine; the others call it. The `tokens` table
 * is written only in src/tokens/ (its transition table is the one gate), and the mail
 * outbox is written only in src/mail/ (the store's migrations aside).
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../helpers/source-files.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** `file:line` of every write to `table`: through Kysely, or in raw SQL. */
function writesTo(table: string, outside: string[]): string[] {
  const kysely = new RegExp(
    `\\b(?:updateTable|insertInto|deleteFrom|replaceInto|mergeInto)\\(\\s*['"\`]${table}\\b`,
  );
  const raw = new RegExp(`\\b(?:update|insert\\s+into|delete\\s+from)\\s+"?${table}\\b`, 'i');
  return mentions((line) => kysely.test(line) || raw.test(line), outside);
}

function mentions(matches: (line: string) => boolean, outside: string[]): string[] {
  return sourceFiles(join(ROOT, 'src'))
    .map((file) => relative(ROOT, file))
    .filter((file) => !outside.some((folder) => file.startsWith(folder)))
    .flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (matches(line) ? [`${file}:${i + 1}`] : [])),
    );
}

describe('table owners', () => {
  it('write tokens only in src/tokens/', () => {
    expect(writesTo('tokens', ['src/tokens/', 'src/store/'])).toEqual([]);
  });

  it('write the mail outbox only in src/mail/', () => {
    expect(writesTo('mail_outbox', ['src/mail/', 'src/store/'])).toEqual([]);
  });

  it('read the mail outbox only in src/mail/, but for the enrollment list’s one-query join', () => {
    // listEnrollments joins each enrollment's mail into the page's one query (no query per row).
    const readers = mentions((line) => line.includes('mail_outbox'), ['src/mail/', 'src/store/']);
    expect(readers.filter((at) => !at.startsWith('src/enrollment/enrollments.ts:'))).toEqual([]);
  });
});
