/**
 * Where bulk rows come from: a CSV file in the CLI's format (the CLI, the console's
 * upload) or everyone a filter finds in a directory. Both faces read rows here, so a file
 * means the same wherever it is given, and a file that is not one is refused as a whole
 * with a message that says why (binary, not UTF-8, too many rows or fields).
 */
import { parse } from 'csv-parse/sync';
import type { Core } from '../context.js';
import { askDirectory } from '../directory/import.js';
import { invalid } from '../errors.js';
import type { BulkRow } from './bulk-plan.js';

/** As many rows as one REST request may carry. */
export const MAX_BULK_ROWS = 20_000;
/** Extra columns are ignored (a spreadsheet's own), but a row this wide is not a user list. */
const MAX_FIELDS = 50;
/** No single row of the format comes near this: a longer one is not a user list either. */
const MAX_RECORD_BYTES = 16 * 1024;

/**
 * The rows of a CSV text: username[,email[,name[,lang]]] per line; a first row starting
 * with "username" is a header; blank lines are skipped, fields trimmed.
 */
export function parseBulkCsv(input: Uint8Array | string): BulkRow[] {
  const text = typeof input === 'string' ? input : decodeText(input);
  if (text.includes('\0')) throw notCsv('it holds binary data');
  let records: string[][];
  try {
    records = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      max_record_size: MAX_RECORD_BYTES,
    }) as string[][];
  } catch (error) {
    throw notCsv((error as Error).message.split('\n')[0]!);
  }
  if (records[0]?.[0]?.toLowerCase() === 'username') records = records.slice(1);
  if (records.length > MAX_BULK_ROWS) {
    throw invalid(`the file has ${records.length} rows; one run takes at most ${MAX_BULK_ROWS}`);
  }
  const wide = records.findIndex((record) => record.length > MAX_FIELDS);
  if (wide >= 0) {
    throw notCsv(
      `row ${wide + 1} has ${records[wide]!.length} fields; a row is username,email,name,lang`,
    );
  }
  return records.map(([username = '', email, name, lang]) => ({
    username,
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
    ...(lang ? { lang } : {}),
  }));
}

/** Everyone a filter finds in a directory (the first, or the one named), as rows that create directory users. */
export async function readDirectoryRows(
  core: Core,
  filter: string,
  name?: string,
): Promise<BulkRow[]> {
  const directory = name ? core.directories.find((d) => d.name === name) : core.directories[0];
  if (!directory) {
    throw invalid(name ? `no directory named ${name} is configured` : 'no directory is configured');
  }
  const entries = await askDirectory(() => directory.findUsers(filter));
  if (entries.length > MAX_BULK_ROWS) {
    throw invalid(
      `the filter finds ${entries.length} users; one run takes at most ${MAX_BULK_ROWS}`,
    );
  }
  return entries.map((entry) => {
    const lang = entry.lang.toLowerCase().slice(0, 2);
    return {
      username: entry.username,
      email: entry.email,
      ...(entry.name ? { name: entry.name } : {}),
      ...(lang === 'de' || lang === 'en' ? { lang } : {}),
      directory: directory.name,
    };
  });
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notCsv('it is not UTF-8 text');
  }
}

function notCsv(why: string) {
  return invalid(`the file is not a CSV list of users (username,email,name,lang): ${why}`);
}
