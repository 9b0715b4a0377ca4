import { rewrite, type Mapped, type Piece } from './mapped';

/**
 * Three or more single letters or digits with the same separator between them:
 * "p a s s w o r d", "P-A-S-S", "4.8.2.9.1.3", "4, 8, 2", "S u m m e r 2 0 2 4". Not a piece of a
 * longer word or dotted run ("it's", "10.0.0.1", "6.8.1.4-beta" keep their shape).
 */
const SPELLED_OUT = new RegExp(
  String.raw`(?<![\p{L}\p{N}'’]|[\p{L}\p{N}][._*·-])` +
    String.raw`[\p{L}\p{N}](, |[ ._*·-])[\p{L}\p{N}](?:\1[\p{L}\p{N}])+` +
    String.raw`(?![\p{L}\p{N}'’]|[._*·-][\p{L}\p{N}])`,
  'gu',
);
const LETTER = /\p{L}/u;

/** The words the detectors key on. */
const KEYWORDS = [
  'password',
  'passwd',
  'passcode',
  'pass',
  'pwd',
  'pin',
  'ssn',
  'mrn',
  'dob',
  'code',
  'otp',
];
/** Symbols and digits drawn like letters: "p@ssw0rd", "c0de", "p1n", "$$n". */
const DRAWN_LIKE: Readonly<Record<string, string>> = {
  a: '@4',
  e: '3',
  i: '1!',
  o: '0',
  s: '$5',
  t: '7',
};
const LETTER_DRAWN_AS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DRAWN_LIKE).flatMap(([letter, drawn]) => [...drawn].map((c) => [c, letter])),
);
/** A keyword written with look-alike symbols, as a whole word. */
const DISGUISED_KEYWORD = new RegExp(
  String.raw`(?<![\w@$!])(?:${KEYWORDS.map((k) =>
    [...k].map((c) => `[${c}${DRAWN_LIKE[c] ?? ''}]`).join(''),
  ).join('|')})(?![\w@$!])`,
  'gi',
);

/** A run of digits with one or two letters drawn like digits: "4829l3", "48O2I3". */
const DIGITS_WITH_LETTERS = /(?<![\p{L}\p{N}])(?=[OolI]?\d)[\dOolI]{6,19}(?![\p{L}\p{N}])/gu;
const DIGIT_DRAWN_AS: Readonly<Record<string, string>> = { O: '0', o: '0', l: '1', I: '1' };

/** Spaces around a dash between digits: "123 - 45 - 6789" reads "123-45-6789". */
const SPACED_DASH = /(?<=\d)(?: -|- | - )(?=\d)/g;

/**
 * Joins what was typed one character at a time, each character still mapped to itself. A lone
 * letter before or after digits stays apart ("x 4 8 2 9 1 3" reads "x 482913"), so it does not
 * hide the digits inside a word.
 */
export function joinSpelledOut(source: Mapped): Mapped {
  return rewrite(source, SPELLED_OUT, (m) => {
    const pieces: Piece[] = [];
    const separator = m[1] ?? ' ';
    for (let at = m.index ?? 0, end = at + m[0].length; at < end;) {
      const ch = String.fromCodePoint(m.input?.codePointAt(at) ?? 0);
      pieces.push({ text: ch, start: at, end: at + ch.length });
      at += ch.length + separator.length;
    }
    const isLetter = (piece: Piece): boolean => LETTER.test(piece.text);
    const [first, second] = pieces;
    const [last, beforeLast] = [pieces[pieces.length - 1], pieces[pieces.length - 2]];
    // The separator goes with the lone letter, so redacting the digits leaves the letter alone.
    if (first && second && isLetter(first) && !isLetter(second)) {
      pieces[0] = { text: `${first.text} `, start: first.start, end: second.start };
    }
    if (last && beforeLast && isLetter(last) && !isLetter(beforeLast)) {
      pieces[pieces.length - 1] = { text: ` ${last.text}`, start: beforeLast.end, end: last.end };
    }
    return pieces;
  });
}

/** "p@ssw0rd" reads "password", "c0de" reads "code"; other words with symbols stay as they are. */
export function undoDisguisedKeywords(source: Mapped): Mapped {
  return rewrite(source, DISGUISED_KEYWORD, (m) => {
    if (/^[a-z]+$/i.test(m[0])) return undefined;
    return m[0].toLowerCase().replace(/[^a-z]/g, (c) => LETTER_DRAWN_AS[c] ?? c);
  });
}

/** "4829l3" reads "482913": at most two letters among at least four digits. */
export function undoLettersAsDigits(source: Mapped): Mapped {
  return rewrite(source, DIGITS_WITH_LETTERS, (m) => {
    const letters = m[0].replace(/\d/g, '').length;
    const digits = m[0].length - letters;
    if (letters === 0 || letters > 2 || digits < 4) return undefined;
    return m[0].replace(/[OolI]/g, (c) => DIGIT_DRAWN_AS[c] ?? c);
  });
}

export function tightenDashes(source: Mapped): Mapped {
  if (!source.text.includes(' -') && !source.text.includes('- ')) return source;
  return rewrite(source, SPACED_DASH, () => '-');
}
