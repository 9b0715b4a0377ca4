import type { Scan } from '../scan';
import type { Range } from '../types';

/** A calendar date written in the text, with its year if one was given. */
export interface FoundDate extends Range {
  readonly year?: number;
}

const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
/** 3/14/1962, 03-14-62, 12.01.1944, 1962-03-14, 3/14. */
const NUMERIC = /(?<![\w/.:-])(\d{1,4})([/.-])(\d{1,2})(?:\2(\d{1,4}))?(?![\w/:-]|\.\d)/g;
/** March 3 1990, mar. 3rd, '62, January the 3rd 1980. */
const MONTH_FIRST = new RegExp(
  String.raw`(?<![a-z])(?:${MONTHS})[a-z]{0,6}\.?[ ]{1,2}(?:the[ ])?(\d{1,2})(?:st|nd|rd|th)?` +
    String.raw`(?:,?[ ]{1,2}('?\d{2}(?:\d{2})?))?(?![\w])`,
  'g',
);
/** 14 March 1962, 3rd of may. */
const DAY_FIRST = new RegExp(
  String.raw`(?<![\w])(\d{1,2})(?:st|nd|rd|th)?[ ]{1,2}(?:of[ ])?(?:${MONTHS})[a-z]{0,6}\.?` +
    String.raw`(?:,?[ ]{1,2}(\d{4}))?(?![\w])`,
  'g',
);

function fullYear(written: string | undefined): number | undefined | null {
  if (written === undefined) return undefined;
  const digits = written.replace("'", '');
  if (digits.length === 4) return Number(digits);
  if (digits.length === 2) return Number(digits) + (Number(digits) >= 30 ? 1900 : 2000);
  return null;
}

const validDay = (month: number, day: number): boolean =>
  month >= 1 && month <= 12 && day >= 1 && day <= 31;

function numericDate(m: RegExpMatchArray): FoundDate | undefined {
  const [whole, a = '', , b = '', c] = m;
  const start = m.index ?? 0;
  const range = { start, end: start + whole.length };
  if (a.length === 4) {
    if (c === undefined || c.length > 2 || !validDay(Number(b), Number(c))) return undefined;
    return { ...range, year: Number(a) };
  }
  if (a.length > 2) return undefined;
  const year = fullYear(c);
  if (year === null) return undefined;
  const [x, y] = [Number(a), Number(b)];
  if (!validDay(x, y) && !validDay(y, x)) return undefined;
  return year === undefined ? range : { ...range, year };
}

function wordDate(m: RegExpMatchArray, dayGroup: number, yearGroup: number): FoundDate | undefined {
  const start = m.index ?? 0;
  const day = Number(m[dayGroup]);
  if (day < 1 || day > 31) return undefined;
  const year = fullYear(m[yearGroup]);
  const range = { start, end: start + m[0].length };
  if (year === null) return undefined;
  return year === undefined ? range : { ...range, year };
}

export function findDates(scan: Scan): FoundDate[] {
  const dates: FoundDate[] = [];
  const keep = (d: FoundDate | undefined): void => {
    if (d) dates.push(d);
  };
  for (const m of scan.text.matchAll(NUMERIC)) keep(numericDate(m));
  for (const m of scan.lower.matchAll(MONTH_FIRST)) keep(wordDate(m, 1, 2));
  for (const m of scan.lower.matchAll(DAY_FIRST)) keep(wordDate(m, 1, 2));
  return dates;
}

/** A year a living patient could be born in, and not a recent event: 1900 to 2009. */
export function birthLikeYear(date: FoundDate): boolean {
  return date.year !== undefined && date.year >= 1900 && date.year <= 2009;
}
