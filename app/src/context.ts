/** What every screen shares: the token storage and the organisation the server named. */
import { openTokenStorage } from './storage.js';
import { t } from './i18n.js';

async function openStorageOrExplain() {
  try {
    return await openTokenStorage();
  } catch (error) {
    // Private browsing or blocked site data: say so instead of showing a blank page.
    document.getElementById('screen')!.textContent = t().storageFailed;
    throw error;
  }
}

export const storage = await openStorageOrExplain();

/** The server writes the organisation's name into index.html: the suggested token name. */
export const organisation =
  document.querySelector<HTMLMetaElement>('meta[name="pforte-organisation"]')?.content.trim() ||
  'Pforte';

/** How long an open token stays open without a touch or key press. */
export const IDLE_LOCK_MS = 120_000;
