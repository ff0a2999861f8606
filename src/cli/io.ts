/** What a CLI command may touch: its streams and environment, passed in for tests. */
import type { Readable, Writable } from 'node:stream';
import { PforteError } from '../errors.js';

export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

export function print(io: CliIO, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJSON(io: CliIO, value: unknown): void {
  print(io, JSON.stringify(value, null, 2));
}

/** A plain table: one row per item, columns padded; empty lists say so. */
export function printTable(
  io: CliIO,
  rows: Record<string, unknown>[],
  columns: string[],
  empty = '(none)',
): void {
  if (rows.length === 0) return print(io, empty);
  const cells = rows.map((row) => columns.map((c) => cellText(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  print(io, [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n'));
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  // Control characters never reach the terminal (they could rewrite what is shown).
  return String(value).replace(/[\p{Cc}]/gu, '?');
}

const STDIN_LIMIT = 4096;

/** Reads a secret from standard input; one trailing newline is dropped. */
export async function readSecret(io: CliIO, what: string): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) {
    text += String(chunk);
    if (text.length > STDIN_LIMIT) {
      throw new PforteError('ERR_VALIDATION', `the ${what} on standard input is too long`);
    }
  }
  text = text.replace(/\r?\n$/, '');
  if (text.length === 0) {
    throw new PforteError('ERR_VALIDATION', `no ${what} on standard input`);
  }
  return text;
}
