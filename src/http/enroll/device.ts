/**
 * Which enrollment instructions a visitor needs, guessed from the User-Agent header.
 * The guess only chooses what the page explains first; every path still works on every
 * device, so a wrong guess costs the user a detour, never the enrollment.
 */

export type Device = 'android' | 'iphone' | 'computer';

interface Rule {
  device: Device;
  pattern: RegExp;
  /** Why this rule exists, for the reader of this table. */
  reason: string;
}

/** Checked in order; the first match wins, no match means a computer. */
const RULES: readonly Rule[] = [
  {
    device: 'iphone',
    pattern: /\b(iPhone|iPod|iPad)\b/,
    reason:
      'iOS and older iPadOS name the device; every iOS browser (Safari, CriOS, FxiOS, EdgiOS) keeps the name.',
  },
  {
    device: 'iphone',
    pattern: /\bMacintosh\b.*\bMobile\/\w+/,
    reason:
      'iPadOS 13+ claims to be a Mac, but in-app browsers and some others keep "Mobile/<build>", which no Mac browser sends. Plain iPad Safari is identical to Mac Safari and is taken for a computer.',
  },
  {
    device: 'android',
    pattern: /\bAndroid\b/i,
    reason:
      'Android phones and tablets (tablets only omit "Mobile"). Desktop-mode browsers send a Linux desktop string and are taken for a computer.',
  },
];

/** Guesses the visitor's device from the User-Agent header; `computer` when unsure. */
export function detectDevice(userAgent: string | undefined): Device {
  if (!userAgent) return 'computer';
  return RULES.find((rule) => rule.pattern.test(userAgent))?.device ?? 'computer';
}
