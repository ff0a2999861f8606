/**
 * What employees do for themselves when their phone changes (the portal's "Neues
 * Telefon einrichten" and "Telefon verloren"):
 *
 *   - new phone: a self-service enrollment, mailed only to the registered address and
 *     counted against the daily allowance (enrollment/self-service.ts); the old token
 *     keeps working until the new one is active, which revokes it (enrollment/complete.ts);
 *   - lost phone: the tokens in use are revoked at once, each by the same state change
 *     an administrator makes (audited as `token.revoke`, reason `lost_phone`), and a
 *     notice is mailed saying how to get temporary access.
 *
 * `caller` is the user themselves (`selfCaller`), so the audit log names them as actor.
 */
import { recordAudit } from '../audit/record.js';
import { brandOf } from '../config/brand.js';
import type { Caller, Core } from '../context.js';
import { startEnrollment } from '../enrollment/enrollments.js';
import { startWithinAllowance } from '../enrollment/self-service.js';
import { PforteError } from '../errors.js';
import { renderLostPhoneMail } from '../mail/lost-phone-mail.js';
import { deliverNow, enqueueMail } from '../mail/outbox.js';
import type { UserRow } from '../store/tables.js';
import type { Lang } from '../text/i18n.js';
import { changeTokenState } from '../tokens/state.js';
import { getToken } from '../tokens/tokens.js';
import { mayChange } from '../tokens/transitions.js';
import { maskAddress, readOwnAccess } from './own-access.js';

/** What the allowance answers (self-service.ts): policy keeps it with IT, or the day's are spent. */
const ALLOWANCE_REFUSALS: readonly string[] = ['ERR_FORBIDDEN', 'ERR_RATE_LIMITED'];

export type NewPhoneResult =
  | { sent: true; maskedAddress: string; expiresAt: string }
  /** No registered address to send the link to: only IT can help. */
  | { sent: false; why: 'no_address' };

/**
 * Starts a new enrollment for `user` and mails its link. Throws `ERR_FORBIDDEN` when
 * policy keeps enrollment with IT, `ERR_RATE_LIMITED` when the day's allowance is spent;
 * each refusal is audited, so the help desk sees why no mail came.
 */
export async function startNewPhone(
  core: Core,
  caller: Caller,
  user: UserRow,
): Promise<NewPhoneResult> {
  const refuse = (reason: string) =>
    recordAudit(core, caller, {
      action: 'enrollment.start',
      outcome: 'failure',
      reason,
      username: user.username,
    });
  if (!user.email) {
    await refuse('no_email');
    return { sent: false, why: 'no_address' };
  }
  let started;
  try {
    started = await startWithinAllowance(core, user, (tx) =>
      startEnrollment(tx, caller, { username: user.username, user, sendMail: true }),
    );
  } catch (error) {
    if (error instanceof PforteError && ALLOWANCE_REFUSALS.includes(error.code)) {
      await refuse(error.code === 'ERR_FORBIDDEN' ? 'self_service_off' : 'self_service_limit');
    }
    throw error;
  }
  // The user waits on the page for this mail: send it now, not with the next sweep.
  if (started.mail) await deliverNow(core, started.mail.id);
  return { sent: true, maskedAddress: maskAddress(user.email), expiresAt: started.expiresAt };
}

export interface LostPhoneResult {
  revoked: string[];
  /** The notice went to the registered address (false: none, or nothing was revoked). */
  noticeMailed: boolean;
}

/** Revokes every token of `user` in use and mails the notice; nothing is revoked twice. */
export async function reportLostPhone(
  core: Core,
  caller: Caller,
  user: UserRow,
): Promise<LostPhoneResult> {
  const { tokens } = await readOwnAccess(core, user);
  const revoked: string[] = [];
  for (const token of tokens) {
    if (await revokeLost(core, caller, token.serial)) revoked.push(token.serial);
  }
  if (revoked.length === 0 || !user.email) return { revoked, noticeMailed: false };
  const brand = brandOf(core.config);
  const mail = renderLostPhoneMail({
    lang: user.lang as Lang,
    brand,
    displayName: user.display_name,
    revokedAt: new Date(core.clock.now()),
    temporaryAccess: core.config.temporaryAccess.enabled,
    selfService: core.config.enrollment.selfService,
  });
  const queued = await enqueueMail(core, {
    kind: 'lost-phone-notice',
    to: { name: user.display_name, address: user.email },
    ...mail,
  });
  await deliverNow(core, queued.id);
  return { revoked, noticeMailed: true };
}

/**
 * Revokes one token, with the administrator's state change. A token that changed in
 * between (a failed sign-in locked it) is read again and revoked in its new state; one
 * revoked or removed meanwhile is no longer this report's.
 */
async function revokeLost(core: Core, caller: Caller, serial: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await changeTokenState(core, caller, serial, 'revoke', 'lost_phone');
      return true;
    } catch (error) {
      const code = error instanceof PforteError ? error.code : undefined;
      if (code === 'ERR_NOT_FOUND') return false;
      if (code !== 'ERR_TOKEN_STATE') throw error;
      const now = await getToken(core, serial).catch(() => undefined);
      if (!now || now.state === 'pending' || !mayChange(now.state, 'revoke')) return false;
    }
  }
  return false;
}
