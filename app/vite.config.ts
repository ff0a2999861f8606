/**
 * The authenticator's build: a static Progressive Web App under `/app/`, written to
 * `dist/app/`, where the server serves it from. vite-plugin-pwa writes the manifest
 * and a Workbox service worker that precaches every file of the build, so the app
 * opens and shows passcodes offline after the first visit. Only the app's own files are
 * cached: API calls (activation) always go to the network.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ICONS, drawIcon } from './build/icons.js';

const BLUE = '#1d4e89';

/** Emits the icons into the build, before the service worker's precache list is made. */
function icons(): Plugin {
  return {
    name: 'pforte-icons',
    generateBundle() {
      for (const icon of ICONS) {
        this.emitFile({
          type: 'asset',
          fileName: icon.fileName,
          source: drawIcon(icon.size, icon.maskable),
        });
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No inline data: URLs, so the Content-Security-Policy needs no exceptions.
    assetsInlineLimit: 0,
  },
  plugins: [
    icons(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: '/app/',
        name: 'Pforte Authenticator',
        short_name: 'Pforte',
        description: 'One-time passcodes for signing in to your organisation.',
        start_url: '/app/',
        scope: '/app/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: BLUE,
        background_color: '#ffffff',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png}'],
        navigateFallback: '/app/index.html',
        navigateFallbackAllowlist: [/^\/app\//],
        cleanupOutdatedCaches: true,
        // The service worker and its runtime in one file, no importScripts.
        inlineWorkboxRuntime: true,
        // No source maps: they would only add to what every phone downloads.
        sourcemap: false,
      },
    }),
  ],
});
