import { Coverage } from './text';
import type { Range, Span } from './types';

/** Numbers with a more specific reading than "a sign-in code". */
const SPECIFIC_NUMBERS = new Set(['ssn', 'payment-card', 'patient-identifier', 'date-of-birth']);

/** Drops sign-in code readings of numbers already recognised as an SSN, card, record or date. */
export function resolveOverlaps(spans: readonly Span[], textLength: number): Span[] {
  const specific = new Coverage(
    textLength,
    spans.filter((s) => SPECIFIC_NUMBERS.has(s.kind)),
  );
  return spans.filter((s) => s.kind !== 'one-time-code' || !specific.touches(s));
}

/** Sorted, non-overlapping ranges covering every span. */
export function mergeRanges(spans: readonly Range[]): Range[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ start: s.start, end: s.end });
  }
  return merged;
}
