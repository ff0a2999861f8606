/**
 * CSV downloads from the console (RFC 4180): every cell quoted when it must be, and
 * guarded against formula injection — a cell that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return is prefixed with a single quote, so a spreadsheet shows it as
 * text instead of running it (OWASP, "CSV Injection"). Usernames, reasons and details
 * come from whoever typed them at a sign-in form, so no cell is trusted.
 *
 * A download is streamed a page at a time: the rows are never all in memory, and the
 * database is never asked for more than one page at once.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export type CsvCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as a spreadsheet may open it safely. */
export function csvCell(value: CsvCell): string {
  let text = value === null ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line, with the CRLF that RFC 4180 ends lines with. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * Sends `lines` as a download named `filename`: never cached, never sniffed as a page.
 * The first line carries a byte order mark, so spreadsheets read the UTF-8 as UTF-8.
 */
export function sendCsv(
  reply: FastifyReply,
  filename: string,
  lines: AsyncIterable<string>,
): FastifyReply {
  async function* withMark() {
    let first = true;
    for await (const line of lines) {
      yield first ? `\uFEFF${line}` : line;
      first = false;
    }
  }
  return reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${filename}"`)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .send(Readable.from(withMark()));
}
