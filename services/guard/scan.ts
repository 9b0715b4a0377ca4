import { CLINICAL, PATIENT_WORDS } from './vocabulary';
import { Coverage, LINK, wordsOf, type Word } from './text';
import type { Range } from './types';

/** What every detector needs to know about one text, worked out once. */
export interface Scan {
  readonly text: string;
  /** `text` with only A-Z lower-cased, so offsets stay the same. */
  readonly lower: string;
  readonly words: readonly Word[];
  /** Phone numbers and links: numbers inside them are never codes. */
  readonly benign: Coverage;
  /** Links, for what their parameters carry. */
  readonly links: readonly Range[];
  /** Some clinical or billing word appears. */
  readonly clinical: boolean;
  /** "patient", "pt", "resident" or "client" appears. */
  readonly mentionsPatient: boolean;
}

const PHONE =
  /(?<![\w.-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-]|\.\d)/g;
const LOCAL_PHONE = /(?<![\w.-])\d{3}-\d{4}(?![\w-]|\.\d)/g;

function rangesOf(text: string, pattern: RegExp): Range[] {
  return [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** `text` is the normalised text: every offset the detectors report is into it. */
export function scan(text: string): Scan {
  const links = rangesOf(text, LINK);
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const vocabulary = new Set<string>();
  for (const m of lower.matchAll(/[a-z][a-z.-]{0,30}/g)) {
    vocabulary.add(m[0]);
    vocabulary.add(m[0].replace(/[.-]+$/, ''));
  }
  const has = (set: ReadonlySet<string>): boolean => [...set].some((w) => vocabulary.has(w));
  return {
    text,
    lower,
    words: wordsOf(text),
    benign: new Coverage(text.length, [
      ...rangesOf(text, PHONE),
      ...rangesOf(text, LOCAL_PHONE),
      ...links,
    ]),
    links,
    clinical: has(CLINICAL),
    mentionsPatient: has(PATIENT_WORDS),
  };
}
