/**
 * What the app needs to know about the phone it runs on.
 *
 * iPhone and iPad keep a Home Screen app's storage apart from Safari's (DESIGN.md
 * section 4, "Phones"): a token added in Safari would not be in the installed app. So
 * in Safari on iOS, the app explains the installation before anything is imported.
 */
export function needsHomeScreenInstall(): boolean {
  const ios =
    /iPhone|iPad|iPod/.test(navigator.userAgent) ||
    // iPadOS 13+ presents itself as a Mac; a Mac has no touch screen.
    (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
  const installed =
    matchMedia('(display-mode: standalone)').matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return ios && !installed;
}
