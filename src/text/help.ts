/**
 * The texts of the help pages, one object per language (help-de.ts, help-en.ts): a
 * missing translation is a type error. The help face (src/http/help/) only renders them.
 */

export type HelpTopic = 'android' | 'iphone' | 'enrollment' | 'problems';

/**
 * The screens shown in the help, in the order a user meets them. `npm run
 * docs:screenshots` takes each of them, in both languages.
 */
export const SCREENSHOTS = [
  'enrollment-page',
  'iphone-install',
  'name-activate',
  'activated',
  'set-pin',
  'first-passcode',
  'unlock',
  'my-access',
  'lost-phone',
  'expired-link',
  'clock-drift',
  'token-locked',
  'forgot-pin',
  'token-replaced',
] as const;
export type Screenshot = (typeof SCREENSHOTS)[number];

/** A step of a help page: what to do, and beside it the screen it shows, if any. */
export type HelpStep = string | { text: string; shot: Screenshot };

/** One case of a page that answers several (`/help/problems#<id>`). */
export interface HelpSection {
  /** The fragment that links here: pages and mails point to `/help/problems#<id>`. */
  id: string;
  heading: string;
  steps: HelpStep[];
}

export interface HelpPage {
  title: string;
  intro: string;
  steps: HelpStep[];
  sections?: HelpSection[];
  note?: string;
}

export interface HelpTexts {
  /** What each screenshot shows: its alternative text (the step beside it says what to do). */
  screenshotAlt: Record<Screenshot, string>;
  pages: Record<HelpTopic, HelpPage>;
}
