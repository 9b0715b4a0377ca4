import { limits } from '../limits';
import type { Scan } from '../scan';
import type { Span } from '../types';

const QUALIFIER = String.raw`(?: ?(?:id|number|num|no\.?|#))?`;
const LABELS = [
  String.raw`mrn`,
  String.raw`m\.r\.n\.?`,
  String.raw`med(?:ical)? ?rec(?:ord)?s?${QUALIFIER}`,
  String.raw`chart${QUALIFIER}`,
  String.raw`patient${QUALIFIER}`,
  String.raw`patient ?acc(?:oun)?t${QUALIFIER}`,
  String.raw`pts?\.?${QUALIFIER}`,
  String.raw`acct\.?${QUALIFIER}`,
  String.raw`account ?(?:number|num|no\.?|#)`,
  String.raw`encounter${QUALIFIER}`,
  String.raw`visit ?(?:id|number|num|no\.?|#)`,
  String.raw`(?:member|subscriber|insurance|policy) ?(?:id|number|num|no\.?|#)`,
];

/** "MRN 00482913", "mrn:4829133", "chart # 123456", "patient id 88231", "acct# 99812034". */
const RECORD_NUMBER = new RegExp(
  String.raw`(?<![a-z])(?:${LABELS.join('|')})(?![a-z])[ \t]{0,3}` +
    String.raw`(?:(?:is|was)[ \t]{1,3}|[:#=-][ \t]{0,3}){0,2}#?` +
    String.raw`([a-z]{0,3}-?\d{${limits.identifierMinDigits},12})(?![\w])`,
  'g',
);

export function findRecordNumbers(scan: Scan): Span[] {
  const spans: Span[] = [];
  for (const m of scan.lower.matchAll(RECORD_NUMBER)) {
    const id = m[1] ?? '';
    const end = m.index + m[0].length;
    spans.push({ kind: 'patient-identifier', start: end - id.length, end });
  }
  return spans;
}
