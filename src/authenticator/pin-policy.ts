/**
 * What PIN the authenticator accepts (DESIGN.md section 5): digits only, a length
 * within the server's policy, and not one of the PINs tried first by anyone who picks
 * up a phone — one digit repeated, a run up or down, a pair repeated.
 *
 * Pure TypeScript: the app and the server's tests share it.
 */

export interface PinPolicy {
  minLength: number;
  maxLength: number;
}

export type PinProblem = 'not_digits' | 'too_short' | 'too_long' | 'one_digit' | 'run' | 'pattern';

/** Why a PIN is refused, or undefined when it is acceptable. */
export function checkPin(pin: string, policy: PinPolicy): PinProblem | undefined {
  if (!/^\d*$/.test(pin)) return 'not_digits';
  if (pin.length < policy.minLength) return 'too_short';
  if (pin.length > policy.maxLength) return 'too_long';
  if (/^(\d)\1+$/.test(pin)) return 'one_digit';
  if (isRun(pin, 1) || isRun(pin, -1)) return 'run';
  if (/^(\d\d)\1+$/.test(pin) || /^(\d\d\d)\1+$/.test(pin)) return 'pattern';
  return undefined;
}

/** 123456 or 987654 (wrapping past 9 or 0 counts too: 890123). */
function isRun(pin: string, step: 1 | -1): boolean {
  for (let i = 1; i < pin.length; i++) {
    if ((Number(pin[i - 1]) + step + 10) % 10 !== Number(pin[i])) return false;
  }
  return true;
}
