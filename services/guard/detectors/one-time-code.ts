import { limits } from '../limits';
import type { Scan } from '../scan';
import { bare, Coverage, wordIndexAt } from '../text';
import type { Range, Span } from '../types';
import { CODE_WORDS, COUNT_NOUNS, ID_NOUNS, REFERENCE_WORDS } from '../vocabulary';
import { findDates } from './dates';

const { min, max } = limits.oneTimeCodeDigits;
/** "48291037", "code:739204"; not part of a decimal, a date, a price or a longer number. */
const CONTIGUOUS = new RegExp(`(?<![\\w.,/$-])\\d{${min},${max}}(?![\\w/%]|[.,:-]\\d)`, 'g');
/** "123 456", "5510 2934", "771-204"; not a piece of a phone, card or SSN written in groups. */
const SPLIT = /(?<![\w.,/$-]|\d )(\d{3,4})([ -])(\d{3,4})(?![\w/%-]|[.,:]\d| \d)/g;
/** "code 55 12 98", "7 3 9 2 0 4": a code typed in small groups. "21 45 87" alone is not one. */
const SPACED = /(?<![\w.,/$-]|\d )\d{1,3}(?: \d{1,3}){2,7}(?![\w/%-]|[.,:]\d| \d)/g;
/** "code 48-29-13", "482.913", "482/913": groups joined by dots, dashes, slashes or underscores. */
const GROUPED = /(?<![\w.,/$-])\d{1,4}([._·/-])\d{1,4}(?:\1\d{1,4}){0,2}(?![\w/%-]|[.,:]\d)/g;
/** "CODE482913", "otp482913": the code written straight after the word. */
const GLUED = /(?<![a-z])(?:code|otp|passcode)(\d{6,8})(?!\d)/g;
const CODE_CONTEXT = /(?<![a-z])(?:code|otp|passcode|verification|sms)(?![a-z])/;
const NUMBER_WORDS = new Set(['#', 'no', 'number', 'num', 'nr']);
const ID_LOOKBACK = 3;

/** "employee id is 204518", "ticket number: 482913"; stops at other numbers and code words. */
function namedAsId(scan: Scan, at: number): boolean {
  for (let i = at - 1; i >= 0 && i >= at - ID_LOOKBACK; i -= 1) {
    const word = (scan.words[i] as { text: string }).text;
    if (/\d/.test(word) || CODE_WORDS.has(bare(word))) return false;
    if (ID_NOUNS.has(bare(word))) return true;
  }
  return false;
}

/** "ticket 482913", "call 5551234", "250000 people": a number with a job other than signing in. */
function hasOtherRole(scan: Scan, range: Range): boolean {
  const { words } = scan;
  const at = wordIndexAt(words, range.start);
  const current = words[at];
  if (current && current.start < range.start) {
    const prefix = bare(scan.text.slice(current.start, range.start));
    if (REFERENCE_WORDS.has(prefix) || ID_NOUNS.has(prefix)) return true;
  }
  let word = words[at - 1];
  if (word && NUMBER_WORDS.has(bare(word.text) || word.text)) word = words[at - 2];
  if (word && REFERENCE_WORDS.has(bare(word.text))) return true;
  if (namedAsId(scan, at)) return true;
  const after = words[wordIndexAt(words, range.end - 1) + 1];
  return after !== undefined && COUNT_NOUNS.has(bare(after.text));
}

/**
 * Codes written in groups joined by dots, dashes, slashes or underscores, when the text talks
 * about a code.
 * Dates and dotted addresses ("192.168.1.25") keep their meaning.
 */
function findGrouped(scan: Scan, consider: (start: number, end: number) => void): void {
  let dates: Coverage | undefined;
  for (const m of scan.text.matchAll(GROUPED)) {
    const groups = m[0].split(m[1] ?? '.');
    const digits = groups.join('').length;
    if (digits < min || digits > max || (groups.length === 4 && m[1] === '.')) continue;
    dates ??= new Coverage(scan.text.length, findDates(scan));
    const range = { start: m.index, end: m.index + m[0].length };
    if (!dates.touches(range)) consider(range.start, range.end);
  }
}

export function findOneTimeCodes(scan: Scan): Span[] {
  const spans: Span[] = [];
  const consider = (start: number, end: number): void => {
    const range = { start, end };
    if (scan.benign.touches(range) || hasOtherRole(scan, range)) return;
    spans.push({ kind: 'one-time-code', start, end });
  };
  for (const m of scan.text.matchAll(CONTIGUOUS)) consider(m.index, m.index + m[0].length);
  const codeContext = CODE_CONTEXT.test(scan.lower);
  for (const m of scan.text.matchAll(SPACED)) {
    const digits = m[0].replace(/ /g, '').length;
    const singles = digits * 2 - 1 === m[0].length;
    if (digits < min || digits > max || !(singles || codeContext)) continue;
    consider(m.index, m.index + m[0].length);
  }
  for (const m of scan.text.matchAll(SPLIT)) {
    const [whole, first = '', separator, second = ''] = m;
    if (separator === '-' && first.length !== second.length) continue;
    consider(m.index, m.index + whole.length);
  }
  if (codeContext) findGrouped(scan, consider);
  for (const m of scan.lower.matchAll(GLUED)) {
    const end = m.index + m[0].length;
    consider(end - (m[1] ?? '').length, end);
  }
  return spans;
}
