/**
 * The service worker (precaching the app for offline use) and the prompt when a new
 * version is ready: the new version waits until the user taps "Update now", so an
 * activation or PIN entry in progress is never cut off by a reload.
 */
import { registerSW } from 'virtual:pwa-register';
import { h } from './dom.js';
import { t } from './i18n.js';

export function registerUpdates(): void {
  if (!('serviceWorker' in navigator)) return;
  const update = registerSW({
    onNeedRefresh() {
      const banner = document.getElementById('update')!;
      const text = t();
      banner.replaceChildren(
        h('p', {}, text.updateReady),
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => void update(true) },
          text.reload,
        ),
      );
    },
  });
}
