/**
 * Draws Concord's two Teams icons into manifest/: the PNGs there are build output of this file,
 * kept so the mark can be changed by editing code rather than by hand in an image tool.
 *
 *   npx tsx src/cli/make-icons.ts [--out-dir manifest]
 *
 * The mark is two linked rings, for trusts deciding together. Teams wants:
 *   color.png    192×192, full colour: NHS blue (#005EB8) rounded square, white rings;
 *   outline.png  32×32, white only on a transparent background, no padding.
 * Only node:zlib is used, so this runs wherever Concord does, with no image libraries.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
const NHS_BLUE: Rgb = [0x00, 0x5e, 0xb8];
const WHITE: Rgb = [0xff, 0xff, 0xff];
/** Samples per pixel side: 4×4 supersampling gives smooth edges without an anti-aliasing algorithm. */
const SAMPLES = 4;

/** A shape as "is this point inside?", in pixel coordinates. */
type Shape = (x: number, y: number) => boolean;

function ring(cx: number, cy: number, radius: number, stroke: number): Shape {
  const inner = radius - stroke / 2;
  const outer = radius + stroke / 2;
  return (x, y) => {
    const distance = Math.hypot(x - cx, y - cy);
    return distance >= inner && distance <= outer;
  };
}

function roundedSquare(size: number, corner: number): Shape {
  return (x, y) => {
    const dx = Math.max(corner - x, x - (size - corner), 0);
    const dy = Math.max(corner - y, y - (size - corner), 0);
    return dx * dx + dy * dy <= corner * corner;
  };
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((shape) => shape(x, y));
}

/** Fraction of the pixel at (px, py) that the shape covers. */
function coverage(shape: Shape, px: number, py: number): number {
  let hits = 0;
  for (let sy = 0; sy < SAMPLES; sy += 1) {
    for (let sx = 0; sx < SAMPLES; sx += 1) {
      if (shape(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits += 1;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

/** RGBA pixels: `background` (optional) under `mark`, each with its own colour. */
function render(size: number, mark: Shape, markColour: Rgb, background?: { shape: Shape; colour: Rgb }): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const markCover = coverage(mark, x, y);
      const backCover = background ? coverage(background.shape, x, y) : 0;
      const alpha = background ? backCover : markCover;
      const offset = (y * size + x) * 4;
      for (let channel = 0; channel < 3; channel += 1) {
        const under = background ? background.colour[channel]! : markColour[channel]!;
        pixels[offset + channel] = Math.round(under + (markColour[channel]! - under) * markCover);
      }
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGBA (colour type 6), non-interlaced PNG; every row uses filter 0 (none). */
function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Two rings side by side, overlapping in the middle, scaled to a canvas of `size`. */
function rings(size: number, radius: number, gap: number, stroke: number): Shape {
  const centre = size / 2;
  return union(ring(centre - gap / 2, centre, radius, stroke), ring(centre + gap / 2, centre, radius, stroke));
}

function main(): void {
  const outIndex = process.argv.indexOf('--out-dir');
  const outDir = outIndex >= 0 ? process.argv[outIndex + 1] ?? 'manifest' : 'manifest';
  mkdirSync(outDir, { recursive: true });

  // Colour: the rings sit inside Teams' recommended ~120 px safe area of the 192 px tile.
  const color = render(192, rings(192, 34, 38, 11), WHITE, { shape: roundedSquare(192, 40), colour: NHS_BLUE });
  // Outline: the rings fill the 32 px canvas edge to edge, as Teams asks (no padding).
  const outline = render(32, rings(32, 8.5, 11, 2.6), WHITE);

  for (const [name, size, pixels] of [['color.png', 192, color], ['outline.png', 32, outline]] as const) {
    const file = path.join(outDir, name);
    writeFileSync(file, encodePng(size, pixels));
    process.stdout.write(`wrote ${file}\n`);
  }
}

main();
