import { limits } from '../limits';
import type { Scan } from '../scan';
import {
  bare,
  classesOf,
  coreOf,
  isEmail,
  isPlaceholder,
  isUrl,
  wordIndexAt,
  type Word,
} from '../text';

const list = (words: string): ReadonlySet<string> => new Set(words.trim().split(/\s+/));

/** Words between "password" and the password itself: "my password is now ...". */
const CONNECTORS = list(`
  is was are were now still just currently set changed reset to would should will be new the
  its it's as also in prob probably maybe either like literally used of i think guess being
  temporarily temporary temp s
`);

/** Words that follow "password:" in a complaint, not a password. */
const NOT_VALUES = list(`
  forgot forgotten forget expired expiring expires expire locked lockout not no none na n/a
  same unknown wrong incorrect invalid blank empty help what how why where when who which idk
  lol it my your our please pls plz working works work doesnt dont wont cant never required
  needed need needs change changing changes lost missing issue issues problem problems question
  questions stuck keeps keep isnt didnt again too very really ok okay fine correct right asks
  asking says said prompt prompts field box screen page manager policy policies rules rule
  requirements requirement length hint does did do has had have for on at with and or but if
  so that this there they he she we you me a an because cause since after before then yet only
  even actually here below above attached sent different long short hard easy complex reset
  resets manager app apps code codes thing stuff one update updated expiry expiration hidden
  saved save stored remember remembered remembers typed type typing entered enter entering
  protected sensitive case characters character chars letters numbers digits symbols special
  requirements complexity strength strong weak history age old changed sync synced matches
  match doesn't don't won't can't isn't didn't wasn't
`);

const STRONG_LEAD = /^(?:[:=]|-{1,2}>?|=>|—)/;
const QUOTES = new Set(['"', "'", '“', '‘', '`']);

/** "Summer2024!", "winter2023", "4829": what a password looks like after "password is". */
function looksLikeValue(token: string, strong: boolean): boolean {
  if (token.length < 4 || token.length > limits.passMaxLength) return false;
  if (isPlaceholder(token) || isEmail(token) || isUrl(token)) return false;
  if (NOT_VALUES.has(token.toLowerCase()) || NOT_VALUES.has(bare(token))) return false;
  const c = classesOf(token);
  const letters = c.upper + c.lower;
  if (letters === 0 && c.digit === 0) return false;
  if (strong) return true;
  if (letters === 0) return /^\d{4,16}$/.test(token);
  return c.digit > 0 || c.symbol > 0 || /[a-z][A-Z]/.test(token);
}

/**
 * The value a keyword introduces, if it looks like one: skips a few connecting words, treats
 * "keyword: value", "keyword = value" and quoted values as explicit.
 */
export function nextValue(scan: Scan, from: number): Word | undefined {
  const { words, text } = scan;
  let strong = false;
  let i = wordIndexAt(words, from);
  for (let steps = 0; steps < 6 && i < words.length; steps += 1, i += 1) {
    const word = words[i] as Word;
    let start = Math.max(word.start, from);
    const lead = STRONG_LEAD.exec(text.slice(start, Math.min(word.end, start + 3)));
    if (lead) {
      strong = true;
      start += lead[0].length;
    }
    if (start >= word.end) continue;
    if (isPlaceholder(word.text)) return undefined;
    if (QUOTES.has(text[start] ?? '')) strong = true;
    const token = coreOf({ text: text.slice(start, word.end), start, end: word.end });
    if (token.text === '' || token.text === "'s" || token.text === '’s') continue;
    const key = token.text.toLowerCase();
    if (CONNECTORS.has(key) || CONNECTORS.has(bare(token.text))) {
      if (/[:=]$/.test(word.text)) strong = true;
      continue;
    }
    return looksLikeValue(token.text, strong) ? token : undefined;
  }
  return undefined;
}
