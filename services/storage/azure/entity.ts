/**
 * How one stored document becomes a table entity, within Azure's limits counted as Azure counts
 * them (UTF-16: two bytes per character), not as Azurite does (UTF-8), so what works against the
 * emulator also works in Azure.
 */

/** Azure's limit for one entity. */
export const MAX_ENTITY_BYTES = 1024 * 1024;
/** Azure's limit for one string property: 64 KiB, i.e. 32 Ki UTF-16 code units. */
export const MAX_STRING_CHARS = 32 * 1024;
/** Room to spare below MAX_STRING_CHARS for each piece of a value. */
const PIECE_CHARS = 32_000;
/**
 * Longer values go to Blob Storage. Lower than one entity could hold, because a write sends the
 * document and its index entry in one transaction, which Azure caps at 4 MiB on the wire.
 */
export const DEFAULT_INLINE_LIMIT_CHARS = 256 * 1024;
/** Table properties allow at most 252 of our own; far more than a value under the limits needs. */
const MAX_PIECES = 200;

/** The properties a document's rows carry (the document row and its index row are alike). */
export type DocProps = {
  /** The document key as given. */
  k: string;
  /** The index string, absent for none. */
  x?: string;
  /** Our eTag: a per-key counter and a random part (a key deleted and made again never repeats one). */
  ver: string;
  at: string;
  /** How many pieces (v0, v1, …) the JSON value is split into, when it is stored in the row. */
  n?: number;
  /** Where the JSON value is, when it is stored in Blob Storage instead. */
  blob?: string;
  /** A deleted document whose row stays until cleaned up (a conditional delete leaves one). */
  gone?: boolean;
  [piece: `v${number}`]: string;
};

/** Splits JSON into pieces under the property limit, never between the halves of a surrogate pair. */
export function splitValue(json: string): string[] {
  const pieces: string[] = [];
  let at = 0;
  while (at < json.length) {
    let end = Math.min(at + PIECE_CHARS, json.length);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(json.slice(at, end));
    at = end;
  }
  if (pieces.length > MAX_PIECES)
    throw new Error(`a value of ${json.length} characters needs too many pieces`);
  return pieces.length ? pieces : [''];
}

export function joinValue(props: Partial<DocProps> & Record<string, unknown>): string {
  const n = Number(props.n ?? 0);
  let json = '';
  for (let i = 0; i < n; i += 1) json += String(props[`v${i}`] ?? '');
  return json;
}

/**
 * An entity's size as Azure documents it: 4 bytes, the two keys at 2 bytes a character, and for
 * each property 8 bytes, its name at 2 bytes a character, and its value (a string: 4 bytes plus
 * 2 a character; a number: 8 at most; a boolean: 1).
 */
export function entitySize(
  partitionKey: string,
  rowKey: string,
  props: Record<string, unknown>,
): number {
  let size = 4 + (partitionKey.length + rowKey.length) * 2;
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue;
    size += 8 + name.length * 2;
    if (typeof value === 'string') size += 4 + value.length * 2;
    else if (typeof value === 'boolean') size += 1;
    else size += 8;
  }
  return size;
}
