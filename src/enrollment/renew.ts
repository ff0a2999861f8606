/**
 * "Send me a new link" on the page of an expired enrollment link. Whoever holds the old
 * link may ask, but the new one goes only to the address the organisation registered,
 * so asking gains a stranger nothing; it is still counted (self-service.ts), audited
 * with the user as the actor, and the old link stops working.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { deliverNow } from '../mail/outbox.js';
import type { UserRow } from '../store/tables.js';
import { resendEnrollment } from './enrollments.js';
import { describeEnrollmentCode } from './lookup.js';
import { checkSelfServiceAllowed, selfCaller } from './self-service.js';

export interface RenewedLink {
  /** Where the new link went, masked: `a•••@example.org`. */
  maskedAddress: string;
  /** ISO 8601: until when the new link works. */
  expiresAt: string;
}

/** Whether an expired link's page may offer a new link: policy allows it and there is an address. */
export function offersNewLink(core: Core, user: Pick<UserRow, 'email'>): boolean {
  return core.config.enrollment.selfService && user.email !== '';
}

/**
 * Renews the expired enrollment `code` belongs to: a new code and a fresh lifetime, mailed
 * to the user's registered address. The caller is the user (`selfCaller`), whatever face
 * `from` names, so that the daily allowance counts what the user asked for. Throws
 * `ERR_ENROLLMENT_CODE_INVALID` for a code that is not an enrollment's,
 * `ERR_ENROLLMENT_STATE` for one that is not expired, `ERR_FORBIDDEN` when policy or a
 * missing address forbids it and `ERR_RATE_LIMITED` past the allowance.
 */
export async function renewExpiredEnrollment(
  core: Core,
  from: Pick<Caller, 'face' | 'address'>,
  code: string,
): Promise<RenewedLink> {
  const standing = await describeEnrollmentCode(core, code);
  if (standing.state === 'unknown' || standing.state === 'cancelled') {
    throw new PforteError('ERR_ENROLLMENT_CODE_INVALID', 'this enrollment link cannot be used');
  }
  if (standing.state !== 'expired') {
    throw new PforteError('ERR_ENROLLMENT_STATE', `the link is ${standing.state}, not expired`);
  }
  const { user, enrollment } = standing;
  const caller = selfCaller(user, from.face, from.address);
  try {
    if (!offersNewLink(core, user)) {
      throw new PforteError('ERR_FORBIDDEN', 'a new link cannot be sent to this user', {
        detail: core.config.enrollment.selfService ? 'no e-mail address' : 'policy',
      });
    }
    await checkSelfServiceAllowed(core, user);
  } catch (error) {
    if (error instanceof PforteError) {
      await recordAudit(core, caller, {
        action: 'enrollment.resend',
        outcome: 'failure',
        reason: error.detail ?? error.message,
        username: user.username,
        detail: { enrollmentId: enrollment.id, selfService: true },
      });
    }
    throw error;
  }
  // Only while the enrollment still has this code: of two requests with the same expired
  // link (a double click), one renews and mails; the other finds the code gone.
  const renewed = await resendEnrollment(core, caller, enrollment.id, {
    acceptExpired: true,
    codeHash: enrollment.code_hash,
  });
  // The user waits at the page for it: sent now, not by the outbox's next round (a failed
  // send stays queued and is retried).
  if (renewed.mail) await deliverNow(core, renewed.mail.id);
  return { maskedAddress: maskAddress(user.email), expiresAt: renewed.expiresAt };
}

/** `alice@example.org` → `a•••@example.org`: enough to recognise, too little to harvest. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${address.slice(0, 1)}•••${address.slice(at)}`;
}
