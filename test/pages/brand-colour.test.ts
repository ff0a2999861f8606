/** The text on the brand colour stays readable whatever colour is configured (WCAG 2.2, 1.4.3). */
import { describe, expect, it } from 'vitest';
import { textColourOn } from '../../src/text/brand-colour.js';

describe('text colour on the brand colour', () => {
  it.each([
    ['#1d4e89', '#ffffff'],
    ['#000000', '#ffffff'],
    ['#ffffff', '#1a1a1a'],
    ['#ffd400', '#1a1a1a'],
    ['#e30613', '#ffffff'],
    ['#7fdbff', '#1a1a1a'],
  ])('on %s the text is %s', (background, text) => {
    expect(textColourOn(background)).toBe(text);
  });
});
