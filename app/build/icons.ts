/**
 * The app's icons, drawn at build time rather than kept as binary files: a white
 * keyhole on Pforte blue. `maskable` fills the whole square (the launcher cuts its own
 * shape, and the keyhole stays inside the central safe zone of 80 %); the plain icon
 * has rounded corners. Written as PNG with node:zlib, 4×4 supersampled.
 */
import { crc32, deflateSync } from 'node:zlib';

const BLUE = [0x1d, 0x4e, 0x89] as const;
const SAMPLES = 4;

export function drawIcon(size: number, maskable: boolean): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const u = (x + (sx + 0.5) / SAMPLES) / size;
          const v = (y + (sy + 0.5) / SAMPLES) / size;
          if (!maskable && !insideRoundedSquare(u, v, 0.19)) continue;
          cover++;
          if (insideKeyhole(u, v)) white++;
        }
      }
      const i = (y * size + x) * 4;
      const total = SAMPLES * SAMPLES;
      for (let c = 0; c < 3; c++) {
        rgba[i + c] =
          cover === 0 ? 0 : Math.round((BLUE[c]! * (cover - white) + 255 * white) / cover);
      }
      rgba[i + 3] = Math.round((255 * cover) / total);
    }
  }
  return encodePNG(size, rgba);
}

function insideRoundedSquare(u: number, v: number, radius: number): boolean {
  const dx = Math.max(radius - u, 0, u - (1 - radius));
  const dy = Math.max(radius - v, 0, v - (1 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

function insideKeyhole(u: number, v: number): boolean {
  const inCircle = (u - 0.5) ** 2 + (v - 0.41) ** 2 <= 0.13 ** 2;
  const t = (v - 0.41) / (0.7 - 0.41);
  const inStem = t >= 0 && t <= 1 && Math.abs(u - 0.5) <= 0.055 + 0.05 * t;
  return inCircle || inStem;
}

function encodePNG(size: number, rgba: Buffer): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** The files the manifest and index.html name. */
export const ICONS = [
  { fileName: 'icons/icon-192.png', size: 192, maskable: false },
  { fileName: 'icons/icon-512.png', size: 512, maskable: false },
  { fileName: 'icons/maskable-512.png', size: 512, maskable: true },
  { fileName: 'icons/apple-touch-icon.png', size: 180, maskable: true },
] as const;
