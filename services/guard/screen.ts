import { DETECTORS } from './detectors';
import { limits } from './limits';
import { normalise } from './normalise';
import { REASONS } from './reasons';
import { scan } from './scan';
import { mergeRanges, resolveOverlaps } from './spans';
import {
  SENSITIVE_KINDS,
  type Range,
  type ScreenResult,
  type SensitiveKind,
  type Span,
} from './types';

/**
 * Every range of `text` that must not be kept, with what it is. The detectors read the
 * normalised text; the ranges returned are of `text` as typed, disguises included.
 */
export function findSensitiveSpans(text: string): Span[] {
  const normalised = normalise(text);
  const scanned = scan(normalised.text);
  return resolveOverlaps(
    DETECTORS.flatMap((detect) => detect(scanned)),
    normalised.text.length,
  ).map((span) => ({ kind: span.kind, ...normalised.original(span) }));
}

export function screenText(text: string): ScreenResult {
  const spans = findSensitiveSpans(text);
  if (spans.length === 0) return { verdict: 'ok' };
  const found = new Set(spans.map((s) => s.kind));
  const kinds = SENSITIVE_KINDS.filter((k): k is SensitiveKind => found.has(k));
  return { verdict: 'sensitive', kinds, reason: REASONS[kinds[0] as SensitiveKind] };
}

/** Every place the found secrets occur, including repeats the detectors did not single out. */
function occurrences(text: string, spans: readonly Span[]): Range[] {
  const ranges: Range[] = [...spans];
  const secrets = new Set(spans.map((s) => text.slice(s.start, s.end)));
  for (const secret of secrets) {
    if (secret === '') continue;
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + secret.length)) {
      ranges.push({ start: at, end: at + secret.length });
    }
  }
  return ranges;
}

function redactOnce(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const r of mergeRanges(occurrences(text, spans))) {
    out += text.slice(at, r.start) + limits.placeholder;
    at = r.end;
  }
  return out + text.slice(at);
}

/**
 * `text` with every sensitive span, and every repeat of what was in one, replaced by the
 * placeholder. Repeats until nothing sensitive is left; if that does not settle, nothing of the
 * text is kept.
 */
export function redact(text: string): string {
  let current = text;
  for (let pass = 0; pass < limits.maxRedactPasses; pass += 1) {
    const spans = findSensitiveSpans(current);
    if (spans.length === 0) return current;
    current = redactOnce(current, spans);
  }
  return findSensitiveSpans(current).length === 0 ? current : limits.placeholder;
}
