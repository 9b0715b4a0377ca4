import { limits } from './limits';
import type { Range } from './types';

/** A whitespace-separated word of the screened text, with its position. */
export interface Word extends Range {
  readonly text: string;
}

const OPENERS = new Set([...'("\'“‘[<*_`']);
const CLOSERS = new Set([...')"\'”’]>*_`.,;:?']);
/** Punctuation that joins ordinary things (versions, paths, names), not a secret's symbols. */
const WEAK_SYMBOLS = new Set(['.', ',', '-', '/', "'", '’', ':', '(', ')', '"', '“', '”']);

/** Every whitespace-separated word, in order. */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    words.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return words;
}

/** The word without wrapping quotes or brackets and without trailing sentence punctuation. */
export function coreOf(word: Word): Word {
  let start = 0;
  let end = word.text.length;
  while (start < end && OPENERS.has(word.text[start] ?? '')) start += 1;
  while (end > start && CLOSERS.has(word.text[end - 1] ?? '')) end -= 1;
  return { text: word.text.slice(start, end), start: word.start + start, end: word.start + end };
}

/** Index of the first word ending after `offset`, by binary search. */
export function wordIndexAt(words: readonly Word[], offset: number): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((words[mid] as Word).end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface CharClasses {
  readonly upper: number;
  readonly lower: number;
  readonly digit: number;
  /** Symbols other than ordinary joining punctuation. */
  readonly symbol: number;
}

export function classesOf(token: string): CharClasses {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  let symbol = 0;
  for (const ch of token) {
    if (ch >= 'A' && ch <= 'Z') upper += 1;
    else if (ch >= 'a' && ch <= 'z') lower += 1;
    else if (ch >= '0' && ch <= '9') digit += 1;
    else if (!WEAK_SYMBOLS.has(ch) && ch.trim() !== '') symbol += 1;
  }
  return { upper, lower, digit, symbol };
}

/** Any of `alternatives` (regex sources) as a whole word of lower-cased text. */
export function keywords(alternatives: readonly string[], flags = ''): RegExp {
  return new RegExp(`(?<![a-z])(?:${alternatives.join('|')})(?![a-z])`, flags);
}

export function isEmail(token: string): boolean {
  return /^[^@\s]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,4}$/i.test(token);
}

/** A link as staff paste it: a scheme ("https://") or "www.", up to the next space. */
export const LINK = /(?<![\w])(?:[a-z]{2,10}:\/\/|www\.)\S{1,2048}/gi;

export function isUrl(token: string): boolean {
  return /^(?:[a-z]{2,10}:\/\/|www\.)/i.test(token);
}

/** The placeholder `redact` leaves; never itself a secret. */
export function isPlaceholder(token: string): boolean {
  return token.includes(limits.placeholder);
}

/** Lower-cased letters and apostrophes only: how words are compared with vocabularies. */
export function bare(token: string): string {
  return token.toLowerCase().replace(/[^a-z']/g, '');
}

/** Which characters of a text some range covers, for overlap checks in linear time. */
export class Coverage {
  private readonly covered: Uint8Array;

  constructor(length: number, ranges: readonly Range[]) {
    this.covered = new Uint8Array(length);
    for (const r of ranges) this.covered.fill(1, r.start, r.end);
  }

  /** Whether any character of `range` is covered. */
  touches(range: Range): boolean {
    for (let i = range.start; i < range.end; i += 1) if (this.covered[i] === 1) return true;
    return false;
  }
}
