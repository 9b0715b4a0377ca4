import { foldPhrases } from './phrases';

/**
 * Text handling shared by the index and the questions: the same words, phrase folding and stems
 * on both sides.
 */

/** Lower-case words, with apostrophes dropped ("can't" → "cant"), before any phrase folding. */
export function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´']/g, '')
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
}

/** Folds known phrases in a list of words and returns the resulting tokens. */
export function fold(list: readonly string[]): string[] {
  return foldPhrases(list.join(' '))
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
}

/** Words, then phrase folding: the tokens the index and the intent rules work on. */
export function tokenize(text: string): string[] {
  return fold(words(text));
}

const KEEP_S = /(?:ss|us|is|os|as)$/;

/** A light stemmer: plurals, -ing, -ed and a final silent e, nothing more. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !KEEP_S.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([bdgmnprt])\1$/.test(w) ? w.slice(0, -1) : w;
}
