/**
 * The brand colour on screen: the header bar of every page, the e-mail's bar and button,
 * the app's theme. Text on it is white or near-black, whichever contrasts more (WCAG 2.2
 * relative luminance, 1.4.3), so any colour an organisation picks stays readable.
 */

/** WCAG 2.2 relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

const WHITE = '#ffffff';
const DARK = '#1a1a1a';

/** The text colour to put on `background` (`#rrggbb`). */
export function textColourOn(background: string): string {
  const bg = luminance(background);
  return contrast(bg, 1) >= contrast(bg, luminance(DARK)) ? WHITE : DARK;
}

/** `/assets/brand.css`: the brand colour for the pages' header bar. */
export function brandStylesheet(colour: string): string {
  return `:root {\n  --header: ${colour};\n  --header-text: ${textColourOn(colour)};\n}\n`;
}
