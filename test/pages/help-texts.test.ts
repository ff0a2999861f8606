/** The help pages' texts (src/text/help-*.ts): the translations say the same steps. */
import { describe, expect, it } from 'vitest';
import { de } from '../../src/text/help-de.js';
import { en } from '../../src/text/help-en.js';
import type { HelpStep } from '../../src/text/help.js';

const shotOf = (step: HelpStep) => (typeof step === 'string' ? null : step.shot);

describe('help texts', () => {
  it('have the same steps in German and English, each beside the same screenshot', () => {
    for (const topic of ['android', 'iphone', 'enrollment', 'problems'] as const) {
      expect(en.pages[topic].steps.map(shotOf)).toEqual(de.pages[topic].steps.map(shotOf));
      const sections = (texts: typeof en) =>
        (texts.pages[topic].sections ?? []).map((s) => [s.id, s.steps.map(shotOf)]);
      expect(sections(en)).toEqual(sections(de));
      expect(en.pages[topic].note === undefined).toBe(de.pages[topic].note === undefined);
    }
  });
});
