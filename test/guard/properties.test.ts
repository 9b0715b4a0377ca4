import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { findSensitiveSpans, limits, redact, screenText } from '../../services/guard/guard';

/** Pieces that wake the detectors up, so generated text exercises their slow paths. */
const PIECES = [
  'pw ',
  'password is ',
  'pass: ',
  'patient ',
  'pt ',
  'Mary ',
  'Jones ',
  'Mrs ',
  'mrn ',
  'dob ',
  'ssn ',
  'social ',
  'code: ',
  'TAP ',
  '123 456 ',
  '4111 1111 1111 1111 ',
  '123-45-6789 ',
  '03/14/1962 ',
  'Summer2024! ',
  'Xk7#pQ2m! ',
  '555-201-4412 ',
  'room 4 ',
  'insulin ',
  '1 ',
  '12 ',
  '1-',
  '1.',
  '/',
  ':',
  '#',
  ' ',
  '  ',
  '\n',
  'a',
  'A',
  '!',
  "'",
  '[removed]',
  // Disguises, so generated text also exercises normalisation.
  '４８２',
  '٤',
  '𝟒',
  '\u200b',
  '\ufe0f\u20e3',
  'р',
  'four ',
  'oh ',
  'double ',
  'hundred and ',
  'third of may ',
  'p a s s ',
  '4.8.2.',
  'p@ss ',
  'l',
  'O',
  '%34',
  'https://x.example/?otp=',
];

const piece = fc.constantFrom(...PIECES);
const message = fc
  .array(fc.oneof(piece, fc.string({ maxLength: 12 })), { maxLength: 400 })
  .map((parts) => parts.join('').slice(0, limits.maxTextLength));
const anyText = fc.string({ unit: 'binary', maxLength: limits.maxTextLength });
/** One piece over and over: the classic trigger of catastrophic backtracking. */
const repeated = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 5000 }))
  .map(([parts, length]) => parts.join('').repeat(length).slice(0, limits.maxTextLength));

/**
 * A generous ceiling: linear scanning of 5000 characters takes a few milliseconds, catastrophic
 * backtracking takes seconds or never ends. The only time-based check in these tests.
 */
const CEILING_MS = 500;

function timed<T>(work: () => T): { result: T; ms: number } {
  const start = process.hrtime.bigint();
  const result = work();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

describe('guard: properties', () => {
  it('never throws on any text up to the length limit', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, message), (text) => {
        const result = screenText(text);
        assert.ok(result.verdict === 'ok' || result.kinds.length > 0);
      }),
      { numRuns: 300 },
    );
  });

  it('stays fast on repetitive text (no catastrophic backtracking)', () => {
    fc.assert(
      fc.property(fc.oneof(repeated, message), (text) => {
        const { ms } = timed(() => redact(text));
        assert.ok(ms < CEILING_MS, `${ms.toFixed(0)} ms for ${JSON.stringify(text.slice(0, 40))}`);
      }),
      { numRuns: 200 },
    );
  });

  it('redacts every detected span and keeps text that was fine', () => {
    fc.assert(
      fc.property(message, (text) => {
        const redacted = redact(text);
        assert.deepEqual(findSensitiveSpans(redacted), []);
        if (findSensitiveSpans(text).length === 0) assert.equal(redacted, text);
        const outsidePlaceholders = redacted.split(limits.placeholder).join('\u0000');
        for (const span of findSensitiveSpans(text)) {
          const secret = text.slice(span.start, span.end);
          assert.ok(!outsidePlaceholders.includes(secret), secret);
        }
      }),
      { numRuns: 300 },
    );
  });
});
