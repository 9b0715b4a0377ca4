import fs from 'node:fs';
import { PNG } from 'pngjs';
import { assetPath } from '../../services/paths';

/**
 * Draws the app's two icons from one shape, a shield with a check mark, and writes them next to
 * this file: color.png (192x192, white shield on a teal-to-blue background) and outline.png
 * (32x32, white shield outline and check on transparent). Each pixel is sampled on a 4x4 grid,
 * which gives the edges simple anti-aliasing. Run after changing the drawing and commit the PNGs:
 *   npx tsc -p tsconfig.json && node dist/manifest/icons/draw.js
 */

type Rgb = readonly [number, number, number];
type Point = readonly [number, number];

const TEAL: Rgb = [0x0e, 0x7c, 0x86];
const BLUE: Rgb = [0x1d, 0x4f, 0x91];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const SAMPLES = 4;

/** Where the shield sits, in units of the icon's side (0..1). */
interface ShieldBox {
  centreX: number;
  top: number;
  width: number;
  height: number;
}

/** Shield: an arched top, straight sides for half its height, then curving to a point. */
function inShield(box: ShieldBox, x: number, y: number): boolean {
  const u = (x - box.centreX) / (box.width / 2);
  const v = (y - box.top) / box.height;
  if (v < 0.06 * u * u || v > 1) return false;
  if (v <= 0.5) return Math.abs(u) <= 1;
  const t = (v - 0.5) / 0.5;
  return Math.abs(u) <= 1 - t * t;
}

function inset(box: ShieldBox, by: number): ShieldBox {
  return {
    centreX: box.centreX,
    top: box.top + by,
    width: box.width - 2 * by,
    height: box.height - 2.6 * by,
  };
}

/** The check mark's three corners, in the shield's own frame (x -1..1 across, y 0..1 down). */
const CHECK: readonly Point[] = [
  [-0.46, 0.47],
  [-0.12, 0.68],
  [0.5, 0.27],
];

function checkPath(box: ShieldBox): Point[] {
  return CHECK.map(([u, v]) => [box.centreX + (u * box.width) / 2, box.top + v * box.height]);
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onPolyline(path: readonly Point[], point: Point, thickness: number): boolean {
  for (let i = 1; i < path.length; i++) {
    if (distanceToSegment(point, path[i - 1], path[i]) <= thickness / 2) return true;
  }
  return false;
}

/** Averages `shade` over a 4x4 grid inside each pixel; `shade` returns RGB and alpha 0..1. */
function render(size: number, shade: (x: number, y: number) => [Rgb, number]): PNG {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          const [rgb, alpha] = shade(x, y);
          for (let c = 0; c < 3; c++) sum[c] += rgb[c] * alpha;
          sum[3] += alpha;
        }
      }
      const i = (py * size + px) * 4;
      const coverage = sum[3] / (SAMPLES * SAMPLES);
      for (let c = 0; c < 3; c++) png.data[i + c] = sum[3] ? Math.round(sum[c] / sum[3]) : 255;
      png.data[i + 3] = Math.round(coverage * 255);
    }
  }
  return png;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const channel = (c: 0 | 1 | 2) => a[c] + (b[c] - a[c]) * t;
  return [channel(0), channel(1), channel(2)];
}

/** 192x192: white shield with the check cut out, on a teal-to-blue diagonal gradient. */
export function drawColorIcon(): PNG {
  const box: ShieldBox = { centreX: 0.5, top: 0.18, width: 0.52, height: 0.66 };
  const check = checkPath(box);
  return render(192, (x, y) => {
    const background = mix(TEAL, BLUE, (x + y) / 2);
    const white = inShield(box, x, y) && !onPolyline(check, [x, y], 0.065);
    return [white ? WHITE : background, 1];
  });
}

/** 32x32: white shield outline with a white check, everything else fully transparent. */
export function drawOutlineIcon(): PNG {
  const outer: ShieldBox = { centreX: 0.5, top: 0.03, width: 0.76, height: 0.94 };
  const inner = inset(outer, 0.085);
  const check = checkPath(inner);
  return render(32, (x, y) => {
    const stroke = inShield(outer, x, y) && !inShield(inner, x, y);
    const ink = stroke || onPolyline(check, [x, y], 0.1);
    return [WHITE, ink ? 1 : 0];
  });
}

export function encode(png: PNG, withAlpha: boolean): Buffer {
  return PNG.sync.write(png, { colorType: withAlpha ? 6 : 2 });
}

function main(): void {
  const out = (name: string) => assetPath('manifest', 'icons', name);
  fs.writeFileSync(out('color.png'), encode(drawColorIcon(), false));
  fs.writeFileSync(out('outline.png'), encode(drawOutlineIcon(), true));
  console.log(`Wrote ${out('color.png')} and ${out('outline.png')}`);
}

if (require.main === module) main();
