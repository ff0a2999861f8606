/**
 * The app's screens by name: a screen goes to another with `go('pin', token)` instead of
 * importing it, so screens do not import each other. The table that maps each name to
 * its screen is `screens/index.ts`; `main.ts` installs it once at start.
 */
import type { StoredToken } from '../../src/authenticator/keychain.js';
import type { Draft } from './draft.js';
import { show, type Screen } from './ui.js';

/** Each screen's name and what it is shown with. */
export interface Screens {
  tokens: [];
  add: [typed?: string, problem?: string];
  scan: [];
  activate: [draft: Draft];
  pin: [held: StoredToken];
  unlock: [id: string];
  forgotPin: [id: string];
  passcode: [opened: StoredToken, seed: Uint8Array, options?: { first?: boolean }];
}

export type ScreenTable = {
  [Name in keyof Screens]: (...args: Screens[Name]) => Screen | Promise<Screen>;
};

let table: ScreenTable | undefined;

export function installScreens(screens: ScreenTable): void {
  table = screens;
}

/** The screen `name` shows, rendered in place of the current one (no navigation). */
export function screen<Name extends keyof Screens>(
  name: Name,
  ...args: Screens[Name]
): Screen | Promise<Screen> {
  if (!table) throw new Error('the screens are not installed');
  return table[name](...args);
}

/** Leaves the current screen for `name`. */
export function go<Name extends keyof Screens>(name: Name, ...args: Screens[Name]): Promise<void> {
  return show(() => screen(name, ...args));
}
