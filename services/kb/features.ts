import { synonymsOf } from './synonyms';
import { stem } from './text';
import { STOPWORDS } from './word-lists';

/**
 * Weights of each kind of feature. Words say most; stop words still tell intents apart ("am I",
 * "who"); word pairs carry order ("new phone" against "phone new"); synonyms bridge staff words
 * and article words; letter groups catch misspellings the speller left and word forms the
 * stemmer does not join.
 */
export interface FeatureWeights {
  word: number;
  stopword: number;
  pair: number;
  synonym: number;
  letters: number;
}

export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = {
  word: 1,
  stopword: 0.3,
  pair: 0.5,
  synonym: 0.4,
  letters: 0.1,
};

/** The classifier's features for a question's tokens (as `tokenize` and the speller give them). */
export function featuresOf(
  tokens: readonly string[],
  weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS,
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (f: string, w: number): void => {
    if (w > 0) out.set(f, Math.max(out.get(f) ?? 0, w));
  };
  const stems = tokens.map(stem);
  tokens.forEach((t, i) => {
    const s = stems[i] ?? t;
    if (STOPWORDS.has(t)) {
      add(`w:${s}`, weights.stopword);
      return;
    }
    add(`w:${s}`, weights.word);
    for (const syn of synonymsOf(t)) add(`w:${stem(syn)}`, weights.synonym);
    if (t.length >= 4 && !/\d/.test(t)) {
      const padded = `<${t}>`;
      for (let j = 0; j + 4 <= padded.length; j++)
        add(`c:${padded.slice(j, j + 4)}`, weights.letters);
    }
  });
  for (let i = 0; i + 1 < stems.length; i++) add(`p:${stems[i]}_${stems[i + 1]}`, weights.pair);
  return out;
}
