import type { Scan } from '../scan';
import { bare, wordIndexAt } from '../text';
import type { Range, Span } from '../types';
import { CLINICAL, FIRST_NAMES, NOT_NAMES, STAFF_TITLES } from '../vocabulary';

const NAME = String.raw`[a-z][a-z'’-]{1,24}`;
/** "patient Mary Jones", "pt jane", "Mrs. Alvarez": a word that introduces a person. */
const INTRODUCED = new RegExp(
  String.raw`(?<![a-z])(patient|pt|resident|client|mrs|mr|ms|miss|mister)\.?[ ]{1,3}` +
    String.raw`(${NAME})(?:[ ]{1,3}(${NAME}))?`,
  'gi',
);
/** "Dorothy Nguyen": a known first name and a capitalised surname (matches may overlap). */
const FIRST_LAST = /(?<![A-Za-z])([A-Z][a-z]{1,20})(?=([ ]{1,2})([A-Z][a-z'’-]{1,24}))/g;
const HONORIFICS = new Set(['mrs', 'mr', 'ms', 'miss', 'mister']);
/** How far from a name a clinical word still counts as being about that person. */
const WORDS_BEFORE = 4;
const WORDS_AFTER = 8;

/** A person named in the text, and what introduced them: a patient word, a title or nothing. */
export interface Person {
  readonly range: Range;
  readonly introduced: 'patient' | 'title' | 'none';
}

const capitalised = (word: string): boolean => /^[A-Z][a-z]/.test(word);
const plain = (word: string): string => bare(word).replace(/['’]s$/, '');
const notAName = (word: string): boolean => NOT_NAMES.has(plain(word)) || CLINICAL.has(plain(word));
const possessive = (word: string): boolean => /['’]s$/.test(word);
const endsSentence = (word: string): boolean => /[.?!]$/.test(word);

/** Where an introduced name lies, or undefined when the words after the introducer are not one. */
function introducedName(m: RegExpMatchArray): Range | undefined {
  const [, introducer = '', first = '', second] = m;
  const start = (m.index ?? 0) + m[0].indexOf(first, introducer.length);
  if (notAName(first)) return undefined;
  const honorific = HONORIFICS.has(introducer.toLowerCase());
  if (!honorific && !capitalised(first) && !FIRST_NAMES.has(first.toLowerCase())) return undefined;
  let end = start + first.length;
  const surname = capitalised(second ?? '') || !capitalised(first);
  if (second !== undefined && !possessive(first) && !notAName(second) && surname) {
    end = (m.index ?? 0) + m[0].length;
  }
  return { start, end };
}

/** The word before the name is a staff title: "Dr. Sarah Kim", "our MA Jessica Brown". */
function afterStaffTitle(scan: Scan, start: number): boolean {
  const before = scan.words[wordIndexAt(scan.words, start) - 1];
  return before !== undefined && STAFF_TITLES.has(bare(before.text));
}

/** A clinical or billing word in the same sentence, close to the name. */
function clinicalNear(scan: Scan, range: Range): boolean {
  const { words } = scan;
  const first = wordIndexAt(words, range.start);
  const last = wordIndexAt(words, range.end - 1);
  for (let i = first - 1; i >= 0 && i >= first - WORDS_BEFORE; i -= 1) {
    const word = (words[i] as { text: string }).text;
    if (endsSentence(word)) break;
    if (CLINICAL.has(bare(word))) return true;
  }
  if (endsSentence((words[last] as { text: string }).text)) return false;
  for (let i = last + 1; i < words.length && i <= last + WORDS_AFTER; i += 1) {
    const word = (words[i] as { text: string }).text;
    if (CLINICAL.has(plain(word))) return true;
    if (endsSentence(word)) break;
  }
  return false;
}

/** Names of people anywhere in the text, colleagues introduced by a staff title left out. */
export function findPeople(scan: Scan): Person[] {
  const people: Person[] = [];
  for (const m of scan.text.matchAll(INTRODUCED)) {
    const range = introducedName(m);
    const title = HONORIFICS.has((m[1] ?? '').toLowerCase());
    if (range) people.push({ range, introduced: title ? 'title' : 'patient' });
  }
  for (const m of scan.text.matchAll(FIRST_LAST)) {
    const [, first = '', gap = '', last = ''] = m;
    if (!FIRST_NAMES.has(first.toLowerCase()) || notAName(last)) continue;
    if (afterStaffTitle(scan, m.index)) continue;
    const range = { start: m.index, end: m.index + first.length + gap.length + last.length };
    people.push({ range, introduced: 'none' });
  }
  return people;
}

/**
 * A patient named in the text: introduced as a patient, or named with a title or in full
 * close to clinical or billing words.
 */
export function findPatientNames(scan: Scan): Span[] {
  return findPeople(scan)
    .filter((p) => p.introduced === 'patient' || (scan.clinical && clinicalNear(scan, p.range)))
    .map((p) => ({ kind: 'patient-identifier', ...p.range }));
}
