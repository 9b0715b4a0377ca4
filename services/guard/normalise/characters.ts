import { Rewriter, type Mapped } from './mapped';

/**
 * Invisible characters (zero-width spaces and joiners, soft hyphens, direction marks, variation
 * selectors, the keycap mark of "4️⃣") and combining marks: dropped, so "4\u200b8" reads "48".
 */
const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}]$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const DASHES = /^[\u2010-\u2015\u2212\u2E3A\u2E3B\uFE58\uFE63]$/;

/** Cyrillic and Greek letters drawn like Latin ones: "раssword" with a Cyrillic р and а. */
const LOOKALIKE_LETTERS: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ԛ: 'q',
  ԝ: 'w',
  ѵ: 'v',
  ӏ: 'l',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  Ԁ: 'D',
  Ԛ: 'Q',
  Ԝ: 'W',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  υ: 'u',
  ι: 'i',
  κ: 'k',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};

/** The value of a decimal digit of any script ("٤", "४" are 4): its place in its run of ten. */
function digitValue(ch: string): string {
  let code = ch.codePointAt(0) ?? 0;
  let place = 0;
  while (place < 40 && DECIMAL_DIGIT.test(String.fromCodePoint(code - 1))) {
    code -= 1;
    place += 1;
  }
  return String(place % 10);
}

/** One character as the detectors should see it: plain ASCII digits, letters and dashes. */
function fold(ch: string): string {
  if (INVISIBLE.test(ch)) return '';
  // Compatibility forms one character at a time (NFKC): "４" and "𝟒" are "4", "ＳＳＮ" is "SSN".
  let out = '';
  for (const c of ch.normalize('NFKC')) {
    if (INVISIBLE.test(c)) continue;
    if (c > '\u007f' && DECIMAL_DIGIT.test(c)) out += digitValue(c);
    else if (DASHES.test(c)) out += '-';
    else out += LOOKALIKE_LETTERS[c] ?? c;
  }
  return out;
}

/** Folds every non-ASCII character of the text; plain ASCII text comes back as it is. */
export function foldCharacters(source: Mapped): Mapped {
  // Plain ASCII needs nothing done.
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(source.text)) return source;
  const writer = new Rewriter(source);
  let at = 0;
  // eslint-disable-next-line no-control-regex
  for (const m of source.text.matchAll(/[^\u0000-\u007f]/gu)) {
    writer.keep(at, m.index);
    at = m.index + m[0].length;
    writer.replace(m.index, at, fold(m[0]));
  }
  writer.keep(at, source.text.length);
  return writer.done();
}

/** Every run of whitespace, line breaks included, is one space: "482\n913" reads "482 913". */
export function foldSpaces(source: Mapped): Mapped {
  if (!/[^\S ]| {2}/.test(source.text)) return source;
  const writer = new Rewriter(source);
  let at = 0;
  for (const m of source.text.matchAll(/\s+/g)) {
    writer.keep(at, m.index);
    if (m[0] === ' ') writer.keep(m.index, m.index + 1);
    else writer.replace(m.index, m.index + m[0].length, ' ');
    at = m.index + m[0].length;
  }
  writer.keep(at, source.text.length);
  return writer.done();
}
