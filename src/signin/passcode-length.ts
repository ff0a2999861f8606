/**
 * Where a password ends and the passcode begins, when a device sends both in one field
 * (RADIUS `password+passcode`, as SafeNet and privacyIDEA accept): the passcode is the
 * last 6 or 8 characters, as many as the user's tokens show. A user who holds a
 * temporary code types its 8 digits, whether the lost or broken phone's token is gone or
 * still active: where the last 8 characters are that live code (an HMAC, no use of it),
 * they are the passcode. Unknown users get 6, like most users: the split itself tells
 * nothing.
 */
import type { Core } from '../context.js';
import {
  CODE_DIGITS,
  isLiveTemporaryCode,
  latestTemporaryAccess,
} from '../temporary/temporary-access.js';
import { normalizeUsername } from '../users/fields.js';
import { findUserRow } from '../users/users.js';

const USUAL_DIGITS = 6;

export async function passcodeLengthOf(
  core: Core,
  username: string,
  typed: string,
): Promise<number> {
  let user;
  try {
    user = await findUserRow(core, normalizeUsername(username));
  } catch {
    return USUAL_DIGITS; // not a username at all: the decision says so
  }
  if (!user) return USUAL_DIGITS;
  if (
    typed.length > CODE_DIGITS &&
    (await isLiveTemporaryCode(core, user.id, typed.slice(-CODE_DIGITS)))
  ) {
    return CODE_DIGITS;
  }
  const tokens = await core.store.db
    .selectFrom('tokens')
    .select('digits')
    .where('user_id', '=', user.id)
    .where('state', 'in', ['active', 'locked'])
    .execute();
  if (tokens.length === 0) {
    return (await latestTemporaryAccess(core, user.id))?.live ? CODE_DIGITS : USUAL_DIGITS;
  }
  // Tokens of both lengths are rare; the longer one's code also ends in digits, so the
  // shorter split leaves two digits on the password and is refused like a wrong code.
  return Math.min(...tokens.map((t) => t.digits));
}

/** The password and the passcode in `combined`, split at `digits` from the end. */
export function splitPasswordAndPasscode(
  combined: string,
  digits: number,
): { password: string; otp: string } | undefined {
  if (combined.length <= digits) return undefined;
  return { password: combined.slice(0, -digits), otp: combined.slice(-digits) };
}
