/** The router table: every screen the app can go to, by name (navigate.ts). */
import type { ScreenTable } from '../navigate.js';
import { activateScreen } from './activate.js';
import { addScreen } from './add.js';
import { forgotPinScreen } from './forgot-pin.js';
import { passcodeScreen } from './passcode.js';
import { pinScreen } from './pin.js';
import { scanScreen } from './scan.js';
import { tokensScreen } from './tokens.js';
import { unlockScreen } from './unlock.js';

export const SCREENS: ScreenTable = {
  tokens: tokensScreen,
  add: addScreen,
  scan: scanScreen,
  activate: activateScreen,
  pin: pinScreen,
  unlock: unlockScreen,
  forgotPin: forgotPinScreen,
  passcode: passcodeScreen,
};
