/**
 * What a signed-in employee may see of their own access (the portal's "Mein Zugang"):
 * their tokens in use, a set-up link still open, and a temporary code that works. Read
 * through the areas that own each table (tokens, enrollment, temporary access); the
 * actions on it are in phone-change.ts.
 */
import type { Core } from '../context.js';
import { listEnrollments } from '../enrollment/enrollments.js';
import { MAX_LIMIT } from '../store/paging.js';
import type { UserRow } from '../store/tables.js';
import { latestTemporaryAccess } from '../temporary/temporary-access.js';
import { listTokens } from '../tokens/tokens.js';
import type { Token } from '../tokens/view.js';

/** Tokens the user holds a phone (or a key fob) for; revoked and half-made ones are history. */
const IN_USE = ['active', 'locked', 'disabled'] as const;
/** Tokens that sign in now or after a short lock: the user does not need a new phone. */
const WORKING = ['active', 'locked'] as const;

export interface OwnAccess {
  tokens: Token[];
  /** A set-up link mailed and not yet used or expired. */
  enrollment?: { createdAt: string; expiresAt: string };
  /** A temporary code the help desk gave, while it works. */
  temporary?: { usesLeft: number; expiresAt: string };
  /** A token that signs in: when false, the portal offers to set up a new phone. */
  hasWorkingToken: boolean;
  /** The registered address, masked (`a•••@example.org`); '' when there is none. */
  maskedAddress: string;
}

export async function readOwnAccess(core: Core, user: UserRow): Promise<OwnAccess> {
  // A person has a handful of tokens; a page of the largest size holds all of them.
  const tokens = (
    await listTokens(core, { username: user.username, limit: MAX_LIMIT })
  ).items.filter((t) => (IN_USE as readonly string[]).includes(t.state));
  const open = await listEnrollments(core, { username: user.username, state: 'open', limit: 1 });
  const temporary = await latestTemporaryAccess(core, user.id);
  const enrollment = open.items[0];
  return {
    tokens,
    ...(enrollment
      ? { enrollment: { createdAt: enrollment.createdAt, expiresAt: enrollment.expiresAt } }
      : {}),
    ...(temporary?.live
      ? { temporary: { usesLeft: temporary.usesLeft, expiresAt: temporary.expiresAt } }
      : {}),
    hasWorkingToken: tokens.some((t) => (WORKING as readonly string[]).includes(t.state)),
    maskedAddress: maskAddress(user.email),
  };
}

/** Whether the user has a token that signs in (the services page's question). */
export async function hasWorkingToken(
  core: Core,
  user: Pick<UserRow, 'username'>,
): Promise<boolean> {
  const all = await listTokens(core, { username: user.username, limit: MAX_LIMIT });
  return all.items.some((t) => (WORKING as readonly string[]).includes(t.state));
}

/**
 * The address as it may be shown to whoever holds the session: enough for its owner to
 * recognise, too little for anyone else to learn it — `a•••@example.org`.
 */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return email ? '•••' : '';
  return `${[...email.slice(0, at)][0]}•••${email.slice(at)}`;
}
