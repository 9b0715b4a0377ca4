import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { limits, normalise } from '../../services/guard/guard';
import { loadSet } from './sets';

const reads = (typed: string): string => normalise(typed).text;

describe('guard: normalise', () => {
  it('reads ordinary messages as typed, with runs of spaces folded', () => {
    for (const { text } of [...loadSet('labelled'), ...loadSet('holdout')]) {
      assert.equal(reads(text), text.replace(/\s+/g, ' '));
    }
  });

  it('undoes the ways a secret is disguised', () => {
    const cases: [string, string][] = [
      ['my code is ４８２９１３', 'my code is 482913'],
      ['٤٨٢٩١٣ ४८२९१३ 𝟰𝟴𝟮 ⁴⁸²', '482913 482913 482 482'],
      ['4\u200b8\u200d2\u00ad9\u2060', '4829'],
      ['4\ufe0f\u20e38\ufe0f\u20e3', '48'],
      ['ＳＳＮ：１２３－４５', 'SSN:123-45'],
      ['раssword ЅЅN', 'password SSN'],
      ['code\n482\n913', 'code 482 913'],
      ['https://x.example/?o%74p=%34%38&next=%26', 'https://x.example/?otp=48&next=%26'],
      ['p a s s w o r d', 'password'],
      ['P-A-S-S: S u m m e r 2 0 2 4', 'PASS: Summer2024'],
      ['code: 4.8.2.9.1.3', 'code: 482913'],
      ['my p@ssw0rd, c0de, $$n', 'my password, code, ssn'],
      ['4829l3 48O2I3', '482913 480213'],
      ['four seven two nine one three', '472913'],
      ['code: four eight two, nine one three', 'code: 482 913'],
      ['seven oh four, double two', '704 22'],
      ['forty eight twenty nine thirteen', '482913'],
      ['4 eight 2 nine 1 three', '482913'],
      ['nineteen sixty two, two thousand and one', '1962 2001'],
      ['four hundred eighty two', '482'],
      ['born on the third of January 1980', 'born on the 3rd of January 1980'],
      ['January the twenty-first, nineteen eighty', 'January the 21st 1980'],
      ['123 - 45 - 6789', '123-45-6789'],
    ];
    for (const [typed, expected] of cases) assert.equal(reads(typed), expected, typed);
  });

  it('keeps everyday words and numbers as they are', () => {
    for (const text of [
      'I have two phones',
      'the third floor',
      'first of all, thanks',
      'we waited forty five minutes',
      "it's 7 3",
      'ticket MFA-0219, second time asking',
      'version 6.8.14 on 10.0.0.1',
      'doctor123 and Galaxy S23',
      'I was born to do this job',
      'a.b',
    ]) {
      assert.equal(reads(text), text);
    }
  });

  it('maps what it reads back to exactly what was typed', () => {
    const cases: [typed: string, read: string, typedPart: string][] = [
      ['my code is ４８２９１３ ok', '482913', '４８２９１３'],
      ['code 𝟰𝟴𝟮𝟵𝟭𝟯 ok', '482913', '𝟰𝟴𝟮𝟵𝟭𝟯'],
      ['code four seven two nine one three thanks', '472913', 'four seven two nine one three'],
      ['p a s s w o r d is S u m m e r 2 0 2 4 ok', 'Summer2024', 'S u m m e r 2 0 2 4'],
      ['https://x.example/?otp=%34%38%32%39%31%33', '482913', '%34%38%32%39%31%33'],
      ['pin 4\u200b8\u200b2\u200b9 ok', '4829', '4\u200b8\u200b2\u200b9'],
      ['x 4 8 2 9 1 3 y', '482913', '4 8 2 9 1 3'],
      ['born the third of May 1980', '3rd of May 1980', 'third of May 1980'],
    ];
    for (const [typed, read, typedPart] of cases) {
      const normalised = normalise(typed);
      const start = normalised.text.indexOf(read);
      assert.ok(start >= 0, `${typed} reads ${normalised.text}`);
      const original = normalised.original({ start, end: start + read.length });
      assert.equal(typed.slice(original.start, original.end), typedPart);
    }
  });

  it('maps every character it reads inside the typed text, in order', () => {
    const pieces = fc.constantFrom(
      '４',
      '𝟒',
      '٤',
      '\u200b',
      '\ufe0f\u20e3',
      'р',
      ' ',
      '  ',
      '\n',
      'four ',
      'oh ',
      'double ',
      'third of may ',
      'hundred and ',
      'p a s s ',
      '4.8.2.',
      'p@ss ',
      'l',
      'O',
      '%34',
      '-',
      'https://x.example/?otp=',
      '1',
      '12 ',
      ',',
      'a',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(pieces, { maxLength: 200 }).map((p) => p.join('').slice(0, limits.maxTextLength)),
    );
    fc.assert(
      fc.property(text, (typed) => {
        const normalised = normalise(typed);
        let previous = 0;
        for (let i = 0; i < normalised.text.length; i += 1) {
          const { start, end } = normalised.original({ start: i, end: i + 1 });
          assert.ok(start >= previous && start < end && end <= typed.length);
          previous = start;
        }
      }),
      { numRuns: 300 },
    );
  });
});
