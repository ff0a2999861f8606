/**
 * A bulk row, and how bulk enrollment judges it before doing anything: where the row's user stands
 * (read for many users in one query) and what that means for the row. The one
 * classification, used to enroll (bulk.ts) and to preview a run (bulk-preview.ts).
 */
import type { Core } from '../context.js';
import { enrollmentMailState } from '../mail/outbox.js';
import type { UserRow } from '../store/tables.js';
import { TOKEN_STATES_IN_USE } from './enrolled.js';

export interface BulkRow {
  username: string;
  email?: string;
  name?: string;
  lang?: string;
  /** The directory the row was read from: the user's password is asked there. */
  directory?: string;
}

/** Why a row was skipped: a token in use, an open enrollment, no such user, a disabled user. */
export const SKIP_KINDS = ['enrolled', 'open', 'unknown', 'disabled'] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

export const SKIP_REASONS: Record<SkipKind, string> = {
  enrolled: 'already enrolled: the user holds a token (use replace to enroll them again)',
  open: 'an enrollment is open already (use resend to mail a new link)',
  unknown: 'no such user, and the row gives no e-mail address to create one',
  disabled: 'the user is disabled',
};

/**
 * What a row will do, judged from where its user stands: the one classification, used
 * both to enroll (bulk.ts) and to preview a run without changing anything (bulk-preview.ts).
 * A user Pforte does not know is made from the row's e-mail, or looked up in a directory.
 */
export type RowPlan =
  | { skip: SkipKind }
  | { make: 'started'; newUser: boolean }
  | { make: 'replaced' }
  | { make: 'resent'; enrollmentId: string };

export function planRow(
  known: Standing | undefined,
  row: BulkRow,
  options: { resend?: boolean; replace?: boolean },
  mayAskDirectory: boolean,
): RowPlan {
  if (!known) {
    return row.email || mayAskDirectory ? { make: 'started', newUser: true } : { skip: 'unknown' };
  }
  if (known.user.disabled) return { skip: 'disabled' };
  if (known.open) {
    // A user whose mail failed never got a link: running the file again mails a new one.
    const undelivered = known.open.mailState === 'failed' || known.open.mailState === 'cancelled';
    if (!options.resend && !undelivered) return { skip: 'open' };
    return { make: 'resent', enrollmentId: known.open.id };
  }
  if (known.enrolled && !options.replace) return { skip: 'enrolled' };
  return known.enrolled ? { make: 'replaced' } : { make: 'started', newUser: false };
}

/** A known user with where they stand: a token in use, an open enrollment and its mail. */
export interface Standing {
  user: UserRow;
  enrolled: boolean;
  open: { id: string; mailState: string | null } | undefined;
}

/**
 * The users of `usernames` (normalised) with where they stand, in one query: whether
 * they hold a token in use, and their open enrollment with its mail's state.
 */
export async function readStandings(
  core: Core,
  usernames: readonly string[],
): Promise<Map<string, Standing>> {
  const rows = await core.store.db
    .selectFrom('users')
    .selectAll('users')
    .select((eb) => [
      eb
        .selectFrom('tokens')
        .select('tokens.serial')
        .whereRef('tokens.user_id', '=', 'users.id')
        .where('tokens.state', 'in', TOKEN_STATES_IN_USE)
        .limit(1)
        .as('token_in_use'),
      eb
        .selectFrom('enrollments')
        .select('enrollments.id')
        .whereRef('enrollments.user_id', '=', 'users.id')
        .where('enrollments.state', '=', 'open')
        .where('enrollments.expires_at', '>', core.clock.now())
        .limit(1)
        .as('open_id'),
      // At most one enrollment is open; its mail's state, or null when it has none.
      eb
        .selectFrom('enrollments')
        .select((open) => enrollmentMailState(open).as('state'))
        .whereRef('enrollments.user_id', '=', 'users.id')
        .where('enrollments.state', '=', 'open')
        .limit(1)
        .as('open_mail_state'),
    ])
    .where('users.username', 'in', usernames.length > 0 ? usernames : [''])
    .execute();
  const standings = new Map<string, Standing>();
  for (const { token_in_use, open_id, open_mail_state, ...user } of rows) {
    standings.set(user.username, {
      user: user as UserRow,
      enrolled: token_in_use !== null,
      open: open_id === null ? undefined : { id: open_id, mailState: open_mail_state },
    });
  }
  return standings;
}
