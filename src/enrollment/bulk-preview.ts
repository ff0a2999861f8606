/**
 * What a bulk run would do, row by row, before it does anything: each row judged by the
 * run's own classification (bulk-plan.ts) and, for a user to be created, by the checks
 * `createUser` makes, so the preview and the run agree. Reads only; 500 users a query.
 */
import type { Core } from '../context.js';
import { PforteError } from '../errors.js';
import { checkDisplayName, checkEmail, checkLanguage, normalizeUsername } from '../users/fields.js';
import { planRow, readStandings, SKIP_REASONS, type BulkRow, type Standing } from './bulk-plan.js';
import { getBulkRunRow, type BulkRunOptions } from './bulk-runs.js';

export interface BulkPreview {
  total: number;
  /** New enrollments for users Pforte does not know yet: made from the row, or found in a directory. */
  newUsers: number;
  /** New enrollments for known users who have none. */
  started: number;
  /** New enrollments for users who hold a token (replace). */
  replaced: number;
  /** Open enrollments mailed a new link (resend, or their mail failed). */
  resent: number;
  /** Skipped: the user holds a token. */
  alreadyEnrolled: number;
  /** Skipped: an enrollment is open already (or the row repeats an earlier one). */
  openAlready: number;
  /** Rows that will fail or be skipped for want of a usable user, each with the reason. */
  invalid: { row: number; username: string; reason: string }[];
}

const BATCH = 500;

/** The preview of a run's rows with its options: what starting it would do now. */
export async function previewBulkRun(core: Core, id: string): Promise<BulkPreview> {
  const run = await getBulkRunRow(core, id);
  const options = JSON.parse(run.options) as BulkRunOptions;
  return previewBulkRows(core, JSON.parse(run.rows) as BulkRow[], options);
}

export async function previewBulkRows(
  core: Core,
  rows: readonly BulkRow[],
  options: { resend?: boolean; replace?: boolean } = {},
): Promise<BulkPreview> {
  const preview: BulkPreview = {
    total: rows.length,
    newUsers: 0,
    started: 0,
    replaced: 0,
    resent: 0,
    alreadyEnrolled: 0,
    openAlready: 0,
    invalid: [],
  };
  const seen = new Set<string>();
  for (let from = 0; from < rows.length; from += BATCH) {
    const batch = rows.slice(from, from + BATCH);
    const names = batch.map((row) => usernameOf(row));
    const standings = await readStandings(
      core,
      names.filter((name): name is string => typeof name === 'string'),
    );
    for (const [i, row] of batch.entries()) {
      const number = from + i + 1;
      const name = names[i]!;
      const refuse = (reason: string) =>
        preview.invalid.push({ row: number, username: row.username, reason });
      if (typeof name !== 'string') {
        refuse(name.reason);
        continue;
      }
      if (seen.has(name)) {
        // The earlier row opens the enrollment; the run then finds it open.
        if (options.resend) preview.resent++;
        else preview.openAlready++;
        continue;
      }
      seen.add(name);
      tally(preview, standings.get(name), row, options, core.directories.length > 0, refuse);
    }
  }
  return preview;
}

function tally(
  preview: BulkPreview,
  known: Standing | undefined,
  row: BulkRow,
  options: { resend?: boolean; replace?: boolean },
  mayAskDirectory: boolean,
  refuse: (reason: string) => void,
): void {
  const plan = planRow(known, row, options, mayAskDirectory);
  if ('skip' in plan) {
    if (plan.skip === 'enrolled') preview.alreadyEnrolled++;
    else if (plan.skip === 'open') preview.openAlready++;
    else refuse(SKIP_REASONS[plan.skip]);
    return;
  }
  if (plan.make === 'started' && plan.newUser) {
    const problem = row.email ? newUserProblem(row) : undefined;
    if (problem) refuse(problem);
    else preview.newUsers++;
    return;
  }
  preview[plan.make]++;
}

function usernameOf(row: BulkRow): string | { reason: string } {
  try {
    return normalizeUsername(row.username);
  } catch (error) {
    return { reason: (error as PforteError).message };
  }
}

/** Why `createUser` would refuse the row's user, if it would. */
function newUserProblem(row: BulkRow): string | undefined {
  try {
    checkEmail(row.email ?? '');
    checkDisplayName(row.name ?? row.username);
    checkLanguage(row.lang ?? 'de');
    return undefined;
  } catch (error) {
    if (error instanceof PforteError) return error.message;
    throw error;
  }
}
