import { limits } from '../limits';
import type { Scan } from '../scan';
import { classesOf, coreOf, isEmail, isPlaceholder, isUrl, keywords, type Word } from '../text';
import type { SensitiveKind, Span } from '../types';
import { nextValue } from './after-keyword';

/** "password", its abbreviations and usual typos, "passcode", "pin". */
const PASSWORD_NAMES = [
  'pass ?words?',
  'passw(?:or)?d',
  'passwrd',
  'pasword',
  'paswd',
  'passowrd',
  'pssword',
  'psswd',
  'pword',
  'psw',
  'pwd',
  'pw',
  'p/w',
  'pass ?code',
  'pin(?: ?code| ?number)?',
];
const TAP_NAMES = [
  'tap',
  'temp(?:orary)? access',
  'temp(?:orary)? pass',
  'access (?:pass|code)',
  'one[- ]?time pass',
  'pass',
];
const PASSWORD_WORD = keywords(PASSWORD_NAMES, 'g');
const PASSWORD_CONTEXT = keywords(PASSWORD_NAMES);
const PASS_WORD = keywords(['pass'], 'g');
const TAP_CONTEXT = keywords(TAP_NAMES);
const CODE_CONTEXT = keywords(['code', 'otp']);

/** Mixed case, digits and symbols, like "Xk7#pQ2m!": a credential wherever it appears. */
function isHardened(token: string): boolean {
  const c = classesOf(token);
  return c.upper > 0 && c.lower > 0 && c.digit > 0 && c.symbol > 0;
}

/** Random-looking mixed case and digits, like "Xk7pQ2mR": a pass when called a code or pass. */
function looksGenerated(token: string): boolean {
  const c = classesOf(token);
  return c.upper >= 2 && c.lower >= 2 && c.digit >= 2;
}

function eligible(token: Word): boolean {
  const { text } = token;
  return (
    text.length >= limits.passMinLength &&
    text.length <= limits.passMaxLength &&
    !isPlaceholder(text) &&
    !isEmail(text) &&
    !isUrl(text)
  );
}

function valuesAfter(scan: Scan, pattern: RegExp, kindOf: (value: Word) => SensitiveKind): Span[] {
  const spans: Span[] = [];
  for (const m of scan.lower.matchAll(pattern)) {
    const value = nextValue(scan, m.index + m[0].length);
    if (value) spans.push({ kind: kindOf(value), start: value.start, end: value.end });
  }
  return spans;
}

/** Passwords and Temporary Access Passes, named as such or recognisable by their shape. */
export function findCredentials(scan: Scan): Span[] {
  const passwordContext = PASSWORD_CONTEXT.test(scan.lower);
  const tapContext = TAP_CONTEXT.test(scan.lower);
  const codeContext = CODE_CONTEXT.test(scan.lower);
  const spans = [
    ...valuesAfter(scan, PASSWORD_WORD, () => 'password'),
    ...valuesAfter(scan, PASS_WORD, (v) =>
      eligible(v) && (isHardened(v.text) || looksGenerated(v.text))
        ? 'temporary-access-pass'
        : 'password',
    ),
  ];
  const bareKind: SensitiveKind =
    tapContext || (codeContext && !passwordContext) ? 'temporary-access-pass' : 'password';
  for (const word of scan.words) {
    if (isPlaceholder(word.text)) continue;
    const token = coreOf(word);
    if (!eligible(token)) continue;
    if (isHardened(token.text)) {
      spans.push({ kind: bareKind, start: token.start, end: token.end });
    } else if ((tapContext || codeContext) && looksGenerated(token.text)) {
      spans.push({ kind: 'temporary-access-pass', start: token.start, end: token.end });
    }
  }
  return spans;
}
