import fs from 'node:fs';
import { assetPath } from '../services/paths';

/** The committed icons (drawn by manifest/icons/draw.ts) and the sizes Teams requires. */
export const ICONS = {
  color: { file: assetPath('manifest', 'icons', 'color.png'), size: 192, needsAlpha: false },
  outline: { file: assetPath('manifest', 'icons', 'outline.png'), size: 32, needsAlpha: true },
} as const;

export type IconName = keyof typeof ICONS;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour types with an alpha channel: grey + alpha, RGBA. */
const ALPHA_COLOUR_TYPES = new Set([4, 6]);

interface PngHeader {
  width: number;
  height: number;
  colourType: number;
}

/** Width, height and colour type from a PNG's IHDR chunk, or undefined if it is not a PNG. */
function pngHeader(data: Buffer): PngHeader | undefined {
  if (data.length < 33 || !data.subarray(0, 8).equals(SIGNATURE)) return undefined;
  if (data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return {
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    colourType: data.readUInt8(25),
  };
}

/** Reads one committed icon and reports each way it breaks Teams' rules (empty data if missing). */
export function readIcon(name: IconName): { data: Buffer; problems: string[] } {
  const { file, size, needsAlpha } = ICONS[name];
  if (!fs.existsSync(file)) {
    return { data: Buffer.alloc(0), problems: [`${name} icon ${file} is missing`] };
  }
  const data = fs.readFileSync(file);
  const header = pngHeader(data);
  if (!header) return { data, problems: [`${name} icon ${file} is not a PNG`] };
  if (header.width !== size || header.height !== size) {
    const actual = `${header.width}x${header.height}`;
    return { data, problems: [`${name} icon must be ${size}x${size} pixels (is ${actual})`] };
  }
  if (needsAlpha && !ALPHA_COLOUR_TYPES.has(header.colourType)) {
    return { data, problems: [`${name} icon needs a transparent background (an alpha channel)`] };
  }
  return { data, problems: [] };
}
