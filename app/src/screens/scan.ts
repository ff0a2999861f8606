/**
 * Scanning the enrollment page's QR code with the camera: the browser's
 * BarcodeDetector where it has one, else a small decoder bundled with the app (loaded
 * only then, and from this server like everything else).
 */
import type { BarcodeDetector as QRDetector } from 'qr/decode.js';
import { alertBox, h } from '../dom.js';
import { t } from '../i18n.js';
import { importFrom } from '../import-enrollment.js';
import { go } from '../navigate.js';
import type { Screen } from '../ui.js';

type Detect = (video: HTMLVideoElement) => Promise<string | undefined>;

const SCAN_INTERVAL_MS = 200;

export function scanScreen(): Screen {
  const text = t();
  const alert = alertBox();
  const video = h('video', {
    class: 'camera',
    playsinline: true,
    muted: true,
    'aria-hidden': 'true',
  });
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
  };

  const start = async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
    } catch {
      alert.say(text.scanNoCamera);
      return;
    }
    if (stopped) return stop();
    video.srcObject = stream;
    await video.play().catch(() => undefined);
    const detect = await makeDetector();
    const tick = async () => {
      if (stopped) return;
      const found = await detect(video).catch(() => undefined);
      if (stopped) return;
      if (found !== undefined) {
        importFrom(found, (problem) => alert.say(problem));
        // A QR code that is not an enrollment: keep looking for the right one.
      }
      if (!stopped) timer = setTimeout(() => void tick(), SCAN_INTERVAL_MS);
    };
    void tick();
  };
  void start();

  return {
    title: text.scanTitle,
    body: [
      h('p', {}, text.scanIntro),
      video,
      alert.element,
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => void go('add') },
        text.cancel,
      ),
    ],
    leave: stop,
  };
}

async function makeDetector(): Promise<Detect> {
  const native = (globalThis as { BarcodeDetector?: typeof QRDetector }).BarcodeDetector;
  const Detector =
    native && (await native.getSupportedFormats()).includes('qr_code')
      ? native
      : (await import('qr/decode.js')).BarcodeDetector;
  const detector = new Detector({ formats: ['qr_code'] });
  return async (video) =>
    video.videoWidth === 0 ? undefined : (await detector.detect(video))[0]?.rawValue;
}
