import { createHash } from 'node:crypto';

/** Deterministic, valid-looking GUIDs for fictional directories. */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (n: number) =>
  HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;

/** A version-4-shaped GUID from four 32-bit numbers (e.g. from a seeded random generator). */
export function guidFromWords(a: number, b: number, c: number, d: number): string {
  const version = ((b & 0xffff0fff) | 0x4000) >>> 0;
  const variant = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  const s = hex8(a >>> 0) + hex8(version) + hex8(variant) + hex8(d >>> 0);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** A stable GUID for a label: the same label always gives the same id. */
export function guidFromLabel(label: string): string {
  const digest = createHash('sha256').update(label).digest();
  return guidFromWords(
    digest.readUInt32BE(0),
    digest.readUInt32BE(4),
    digest.readUInt32BE(8),
    digest.readUInt32BE(12),
  );
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
