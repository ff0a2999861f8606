/**
 * Importing by the camera: the enrollment page's QR code, shown to Chromium's fake
 * camera as a video file, is read by the app's bundled decoder (this Chromium has no
 * BarcodeDetector) and leads to the activation with the right code.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import encodeQR from 'qr';
import { describe, expect, it } from 'vitest';
import { activateAndSetPin, expectHeading, usePhone } from './steps.js';

const VIDEO = join(mkdtempSync(join(tmpdir(), 'pforte-camera-')), 'camera.y4m');

/** A few frames of 640×480 video (YUV4MPEG2, 4:2:0) showing `text` as a QR code. */
function writeQRVideo(text: string): void {
  const [width, height] = [640, 480];
  const modules = encodeQR(text, 'raw', { border: 4 });
  const scale = Math.floor(Math.min(width, height) / modules.length);
  const [left, top] = [
    (width - modules.length * scale) >> 1,
    (height - modules.length * scale) >> 1,
  ];
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < modules.length * scale; y++) {
    for (let x = 0; x < modules.length * scale; x++) {
      if (modules[Math.floor(y / scale)]![Math.floor(x / scale)])
        luma[(top + y) * width + left + x] = 16;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(VIDEO, Buffer.concat([header, frame, frame, frame]));
}

describe('scanning the enrollment QR code', { timeout: 120_000 }, () => {
  const phone = usePhone({
    chromiumArgs: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${VIDEO}`,
    ],
  });

  it('reads the code from the camera and activates the token', async () => {
    const link = await phone.server.enroll('alice');
    writeQRVideo(link);
    await phone.context.grantPermissions(['camera'], { origin: phone.server.url });
    await phone.page.goto(`${phone.server.url}/app/`);
    await phone.page.getByRole('button', { name: 'Add token' }).click();
    await phone.page.getByRole('button', { name: 'Scan QR code' }).click();
    await expectHeading(phone.page, 'Name and activate your token');
    expect(await phone.page.locator('.code').textContent()).toBe(
      link.split('/enroll/')[1]!.match(/.{5}/g)!.join('-'),
    );
    const passcode = await activateAndSetPin(phone.page);
    expect(await phone.server.validate('alice', passcode)).toBe('accept');
    // The camera is off again once the code is read.
    expect(await phone.page.locator('video').count()).toBe(0);
  });
});
