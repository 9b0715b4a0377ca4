import type { Scan } from '../scan';
import type { Span } from '../types';

/** "123-45-6789", "219 09 9999", "123_45_6789": the printed SSN shape, not in a longer number. */
const PRINTED = /(?<![\w-])\d{3}([- ._/])\d{2}\1\d{4}(?![\w-]|\.\d)/g;
/** "ssn 123456789", "social security number: 536224810", "last four of my SSN is 4321". */
const NAMED =
  /(?<![a-z])(ss#|ssn|ss no|soc sec|social(?: security)?)(?:(?: ?#| ?number| ?no\.?)?)(?![a-z])/g;
const NINE_DIGITS = /^\D{0,30}?(?<!\d)(\d{3}[ ._/-]?\d{2}[ ._/-]?\d{4})(?!\d)/;
const LAST_FOUR = /^\D{0,30}?(?<!\d)(\d{4})(?!\d)/;
const LAST_FOUR_WORDS = /last (?:4|four)(?![a-z0-9])/;

function after(scan: Scan, from: number, pattern: RegExp): Span | undefined {
  const window = scan.text.slice(from, from + 60);
  const m = pattern.exec(window);
  if (!m || m[1] === undefined) return undefined;
  const start = from + m[0].length - m[1].length;
  return { kind: 'ssn', start, end: start + m[1].length };
}

export function findSsns(scan: Scan): Span[] {
  const spans: Span[] = [];
  const lastFour = LAST_FOUR_WORDS.test(scan.lower);
  for (const m of scan.text.matchAll(PRINTED)) {
    spans.push({ kind: 'ssn', start: m.index, end: m.index + m[0].length });
  }
  for (const m of scan.lower.matchAll(NAMED)) {
    const end = m.index + m[0].length;
    const full = after(scan, end, NINE_DIGITS);
    const partial = m[1] !== 'social' || lastFour ? after(scan, end, LAST_FOUR) : undefined;
    const found = full ?? partial;
    if (found) spans.push(found);
  }
  return spans;
}
