// @ts-check
// The scenarios of `npm run bench`, in the order they run: a new face (RADIUS, OpenID
// Connect) adds one file here and one line below.
import { bulkEnrollmentScenario } from './bulk-enrollment.js';
import { consoleLists } from './console-lists.js';
import { directorySignIn } from './directory-sign-in.js';
import { idleMemory } from './idle-memory.js';
import { oidcCodeFlow, oidcRefresh } from './oidc.js';
import {
  otpValidate,
  otpValidateManyConnections,
  otpValidateWithoutAddress,
} from './otp-validate.js';
import { otpValidatePostgres } from './otp-validate-postgres.js';
import { passwordSignIn } from './password-sign-in.js';
import { peakMemory } from './peak-memory.js';
import { portalSignIn } from './portal-sign-in.js';
import { radiusPasscode, radiusPassword } from './radius.js';

/** @type {import('../lib/types.js').Figure<any, any>[]} */
export const SCENARIOS = [
  otpValidate,
  otpValidateWithoutAddress,
  otpValidateManyConnections,
  otpValidatePostgres,
  radiusPasscode,
  passwordSignIn,
  portalSignIn,
  radiusPassword,
  // After the last scenario measured against raw argon2id: the portal's outcome (its
  // ratio's denominator) is complete only once that yardstick is.
  oidcCodeFlow,
  oidcRefresh,
  directorySignIn,
  peakMemory,
  idleMemory,
  bulkEnrollmentScenario,
  consoleLists,
];
