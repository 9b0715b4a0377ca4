import type { Range } from '../types';
import { foldCharacters, foldSpaces } from './characters';
import { decodeLinks } from './links';
import { originalRange, unchanged, type Mapped } from './mapped';
import { spellNumbers } from './number-words';
import {
  joinSpelledOut,
  tightenDashes,
  undoDisguisedKeywords,
  undoLettersAsDigits,
} from './spelled';

/** Text as the detectors read it, and the way back to the text as it was typed. */
export interface Normalised {
  readonly text: string;
  /** The range of the typed text that a non-empty range of `text` came from. */
  original(range: Range): Range;
}

/** In order: each step reads what the one before wrote. */
const STEPS: readonly ((source: Mapped) => Mapped)[] = [
  foldCharacters,
  foldSpaces,
  decodeLinks,
  joinSpelledOut,
  undoDisguisedKeywords,
  undoLettersAsDigits,
  spellNumbers,
  tightenDashes,
];

/**
 * Undoes the ways a secret can be disguised so that it still reads as itself: full-width and
 * other Unicode digits, invisible characters, Cyrillic look-alike letters, line breaks between
 * groups, percent-escapes in links, letters typed one by one, "p@ssw0rd", "4829l3", numbers in
 * words. Plain text comes back unchanged. Every character knows where it came from, so a
 * redaction removes the disguised secret from what was typed.
 */
export function normalise(text: string): Normalised {
  const mapped = STEPS.reduce((current, step) => step(current), unchanged(text));
  return { text: mapped.text, original: (range) => originalRange(mapped, range) };
}
