/**
 * `pforte directory test [--user <username>] [--directory <name>]`: checks each
 * configured directory step by step — connection (with TLS), the service account, the
 * search — and shows what Pforte would read for a user. Each failure says what failed.
 * The service account's password is never printed, not even with --json.
 */
import type { DirectoryUser } from '../../directory/directory.js';
import { usageError, type Command } from '../command.js';
import { print, printJSON } from '../io.js';

interface DirectoryReport {
  directory: string;
  ok: boolean;
  connectedTo?: string;
  problem?: string;
  message?: string;
  user?: DirectoryUser | null;
}

export const directoryCommands: Command[] = [
  {
    name: 'directory test',
    summary: 'Check the configured LDAP directories, and what they say about a user',
    usage: '[--user <username>] [--directory <name>] [--json]',
    options: { user: { type: 'string' }, directory: { type: 'string' } },
    async run(ctx, options) {
      const { DirectoryError } = await import('../../directory/errors.js');
      const core = await ctx.core();
      const wanted = typeof options.directory === 'string' ? options.directory : undefined;
      const directories = core.directories.filter((d) => !wanted || d.name === wanted);
      if (directories.length === 0) {
        throw usageError(
          wanted
            ? `no directory named ${wanted} is configured`
            : 'no directory is configured (PFORTE_DIRECTORIES)',
        );
      }
      const username = typeof options.user === 'string' ? options.user : undefined;
      const reports: DirectoryReport[] = [];
      for (const directory of directories) {
        const report: DirectoryReport = { directory: directory.name, ok: false };
        reports.push(report);
        try {
          report.connectedTo = await directory.probe();
          if (username !== undefined) report.user = (await directory.findUser(username)) ?? null;
          report.ok = username === undefined || report.user !== null;
          if (report.user === null) {
            report.problem = 'user_not_found';
            report.message = `no entry matches ${directory.userFilter(username!)}`;
          }
        } catch (error) {
          if (!(error instanceof DirectoryError)) throw error;
          report.problem = /several entries/.test(error.message) ? 'several_users' : error.problem;
          report.message = error.message;
        }
      }
      if (ctx.json) printJSON(ctx.io, reports);
      else for (const report of reports) printReport(ctx.io, report);
      return reports.every((r) => r.ok) ? 0 : 1;
    },
  },
];

function printReport(io: Parameters<typeof print>[0], report: DirectoryReport): void {
  if (report.connectedTo) {
    print(
      io,
      `${report.directory}: connected to ${report.connectedTo}, service account bound, search works`,
    );
  }
  if (report.user) {
    print(io, `  user ${report.user.username}: ${report.user.dn}`);
    print(
      io,
      `    e-mail ${report.user.email || '(none)'}, name ${report.user.name || '(none)'}, language ${report.user.lang || '(none)'}`,
    );
  }
  if (report.message) print(io, `${report.directory}: ${report.problem}: ${report.message}`);
}
