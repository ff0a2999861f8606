/** Taking an enrollment string the user pasted, typed or scanned. */
import { readEnrollmentInput } from '../../src/authenticator/enrollment-input.js';
import { t } from './i18n.js';
import { go } from './navigate.js';

/** Says why `input` is not an enrollment, or goes on to naming and activating it. */
export function importFrom(input: string, problem: (text: string) => void): void {
  const text = t();
  const read = readEnrollmentInput(input, location.origin);
  if (read.ok) {
    // One draft for every rendering of the screen: a language switch keeps what was typed.
    const draft = { code: read.code };
    void go('activate', draft);
    return;
  }
  problem(
    read.problem === 'empty'
      ? text.inputEmpty
      : read.problem === 'other_server'
        ? text.inputOtherServer(read.host)
        : text.inputMalformed,
  );
}
