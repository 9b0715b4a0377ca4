import { StorageError } from '../types';

/**
 * Row keys for Azure Table storage that sort exactly as SQLite sorts our keys and index strings
 * (byte order of their UTF-8), so range and prefix queries mean the same on both backends.
 *
 * Table keys may not hold / \ # ? or control characters, and Azurite fails on some others, so
 * keys are encoded byte by byte: most printable ASCII stands for itself, every other byte is an
 * escape character followed by two hex digits. Each escape character lies inside the run of
 * bytes it escapes, so the encoding keeps byte order and prefixes: a prefix of a key encodes to a
 * prefix of the encoded key.
 */

/** Runs of bytes that are escaped, each with the character that starts their escapes. */
const ESCAPED_RUNS: ReadonlyArray<{ from: number; to: number; escape: string }> = [
  { from: 0x00, to: 0x2f, escape: '"' }, // controls, space, punctuation incl. # and /
  { from: 0x3e, to: 0x3f, escape: '>' }, // > and ?
  { from: 0x5b, to: 0x5c, escape: '[' }, // [ and \
  { from: 0x7e, to: 0xff, escape: '~' }, // ~, DEL and every byte of a non-ASCII character
];

const CODES: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const run = ESCAPED_RUNS.find((r) => byte >= r.from && byte <= r.to);
  return run
    ? run.escape + byte.toString(16).toUpperCase().padStart(2, '0')
    : String.fromCharCode(byte);
});

/** Lower than any character an encoding starts with: ends the index part of an index row key. */
const SEPARATOR = '!';
const DOC = 'd';
const INDEX = 'i';

/** Azure allows 1 KiB per key, counted in UTF-16: 512 characters. */
const MAX_ROW_KEY = 512;

export function encodeKeyPart(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) out += CODES[byte];
  return out;
}

export function docRowKey(key: string): string {
  return checked(DOC + encodeKeyPart(key), key);
}

export function indexRowKey(index: string, key: string): string {
  return checked(INDEX + encodeKeyPart(index) + SEPARATOR + encodeKeyPart(key), key);
}

/** The row keys that range over documents whose key starts with `prefix`. */
export function docRange(prefix = ''): { from: string; before: string } {
  const from = DOC + encodeKeyPart(prefix);
  return { from, before: successor(from) };
}

/** The row keys of index entries matching an index prefix and bounds (SQLite's semantics). */
export function indexRange(o: { indexPrefix?: string; indexFrom?: string; indexBefore?: string }): {
  from: string;
  before: string;
} {
  let from = INDEX;
  let before = successor(INDEX);
  const raise = (candidate: string) => {
    if (candidate > from) from = candidate;
  };
  const lower = (candidate: string) => {
    if (candidate < before) before = candidate;
  };
  if (o.indexPrefix !== undefined) {
    const p = INDEX + encodeKeyPart(o.indexPrefix);
    raise(p);
    lower(successor(p));
  }
  // idx >= F holds exactly for rows at or after "i" + enc(F): the separator sorts below every
  // encoded byte, so a shorter index ends its row key's index part first.
  if (o.indexFrom !== undefined) raise(INDEX + encodeKeyPart(o.indexFrom));
  if (o.indexBefore !== undefined) lower(INDEX + encodeKeyPart(o.indexBefore));
  return { from, before };
}

/** The first string after every string that starts with `text` (all characters are ASCII here). */
function successor(text: string): string {
  return text.slice(0, -1) + String.fromCharCode(text.charCodeAt(text.length - 1) + 1);
}

function checked(rowKey: string, key: string): string {
  if (rowKey.length > MAX_ROW_KEY) {
    throw new StorageError(
      `the key "${key.slice(0, 40)}…" is too long for Azure Table storage (${rowKey.length} of ${MAX_ROW_KEY} characters once encoded)`,
    );
  }
  return rowKey;
}
