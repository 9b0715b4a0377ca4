import { createHash } from 'node:crypto';

/** Formats 16 bytes as a version-4-shaped GUID (version and variant bits set). */
function formatGuid(bytes: Uint8Array): string {
  const b = Array.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A stable GUID for a label: the same label always gives the same id. */
export function guidFromLabel(label: string): string {
  return formatGuid(createHash('sha256').update(label).digest());
}

/** A GUID from four 32-bit numbers (e.g. from a seeded random generator). */
export function guidFromWords(a: number, b: number, c: number, d: number): string {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, a >>> 0);
  view.setUint32(4, b >>> 0);
  view.setUint32(8, c >>> 0);
  view.setUint32(12, d >>> 0);
  return formatGuid(bytes);
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
