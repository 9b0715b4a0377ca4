import type { Scan } from '../scan';
import { keywords } from '../text';
import type { Range, Span } from '../types';
import { birthLikeYear, findDates, type FoundDate } from './dates';
import { findPeople } from './names';

const BIRTH_WORD = keywords(
  [
    'dob',
    String.raw`d\.o\.b\.?`,
    'date of birth',
    'birth ?date',
    'birth ?day',
    'b-?day',
    'born',
    String.raw`b\.(?= ?\d)`,
  ],
  'g',
);
/** "dob 1962": a birth year on its own after an explicit label. */
const YEAR_ONLY = /^\D{0,12}?(?<!\d)((?:19|20)\d{2})(?!\d)/;
/** Labels that also start harmless talk ("born on the fourth of July"): a year must follow. */
const LOOSE_LABELS = new Set(['born', 'birthday', 'birth day', 'bday', 'b-day']);
const NEAR_BEFORE = 30;
const NEAR_AFTER = 15;

interface Label extends Range {
  readonly loose: boolean;
}

function labelled(date: FoundDate, labels: readonly Label[]): boolean {
  return labels.some(
    (l) =>
      (date.year !== undefined || !l.loose) &&
      ((l.end <= date.start && date.start - l.end <= NEAR_BEFORE) ||
        (l.start >= date.end && l.start - date.end <= NEAR_AFTER)),
  );
}

function yearsAfterLabels(scan: Scan, labels: readonly Range[]): Range[] {
  const years: Range[] = [];
  for (const label of labels) {
    if (scan.lower.slice(label.start, label.end) === 'born') continue;
    const m = YEAR_ONLY.exec(scan.text.slice(label.end, label.end + 20));
    if (!m || m[1] === undefined) continue;
    const start = label.end + m[0].length - m[1].length;
    years.push({ start, end: start + m[1].length });
  }
  return years;
}

/**
 * A date of birth: a date labelled as one ("DOB 03/14/1962", "born 1962-03-14"), or a full date
 * with a birth-like year next to a patient or a person's name. The names go too.
 */
export function findDatesOfBirth(scan: Scan): Span[] {
  const labels = [...scan.lower.matchAll(BIRTH_WORD)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    loose: LOOSE_LABELS.has(m[0]),
  }));
  const people = findPeople(scan);
  const aboutSomeone = scan.mentionsPatient || people.length > 0;
  const dates: Range[] = findDates(scan).filter(
    (d) => labelled(d, labels) || (aboutSomeone && birthLikeYear(d)),
  );
  dates.push(...yearsAfterLabels(scan, labels));
  if (dates.length === 0) return [];
  return [
    ...dates.map((d): Span => ({ kind: 'date-of-birth', start: d.start, end: d.end })),
    ...people.map((p): Span => ({ kind: 'patient-identifier', ...p.range })),
  ];
}
