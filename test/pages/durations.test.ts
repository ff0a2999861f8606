/** Waits as a person reads them, with the plural right in German and English. */
import { describe, expect, it } from 'vitest';
import { waitText } from '../../src/text/durations.js';
import { messagesFor } from '../../src/text/i18n.js';

describe('a wait as a person reads it', () => {
  it.each([
    [0.2, 'eine Sekunde', 'one second'],
    [1, 'eine Sekunde', 'one second'],
    [2, '2 Sekunden', '2 seconds'],
    [59, '59 Sekunden', '59 seconds'],
    [60, 'eine Minute', 'one minute'],
    [61, '2 Minuten', '2 minutes'],
    [300, '5 Minuten', '5 minutes'],
    [3600, 'eine Stunde', 'one hour'],
    [5400, '2 Stunden', '2 hours'],
  ])('%s s is "%s" and "%s"', (seconds, de, en) => {
    expect(waitText('de', seconds)).toBe(de);
    expect(waitText('en', seconds)).toBe(en);
  });

  it('is what the portal says under back-off: no "1 Sekunden", no "300 seconds"', () => {
    expect(messagesFor('de').portal.tryLater(1)).toBe(
      'Zu viele Versuche. Bitte warten Sie eine Sekunde, bevor Sie es erneut versuchen.',
    );
    expect(messagesFor('en').portal.tryLater(300)).toBe(
      'Too many attempts. Please wait 5 minutes before you try again.',
    );
    expect(messagesFor('en').invalid.action('your IT department')).toBe(
      'Please ask your IT department to start a new token set-up for you.',
    );
  });
});
