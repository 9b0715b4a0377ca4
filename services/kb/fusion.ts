import type { Hit } from './search';

/**
 * How the lexical search and the classifier are combined. Tuned on the eval set and the first two
 * holdouts with `npm run bench -- kb`; never on the third holdout.
 */
export interface FusionTuning {
  /** Share of an article's score that comes from the classifier; the rest is the search. */
  classifierShare: number;
  /** Lexical scores are turned into shares with a softmax at this temperature (score units). */
  lexicalTemperature: number;
  /** A non-problem intent the classifier prefers wins when at least this likely… */
  intentThreshold: number;
  /** …or this likely, when the search found an article that matches the question well. */
  intentOverMatch: number;
  /** The best article is given with confidence when its fused score reaches this… */
  confidentScore: number;
  /** …and leads the second by at least this much. */
  confidentMargin: number;
}

export const DEFAULT_FUSION: FusionTuning = {
  classifierShare: 0.65,
  lexicalTemperature: 4,
  intentThreshold: 0.25,
  intentOverMatch: 0.5,
  confidentScore: 0.45,
  confidentMargin: 0.1,
};

export interface Fused {
  id: string;
  score: number;
}

/**
 * Ranks articles by a weighted sum of the classifier's probability (among articles only) and the
 * search's softmax share. Either side alone ranks an article; both agreeing ranks it highest.
 */
export function fuse(
  hits: readonly Hit[],
  articlePosteriors: ReadonlyMap<string, number>,
  tuning: FusionTuning,
): Fused[] {
  const lexical = softmax(hits, tuning.lexicalTemperature);
  let mass = 0;
  for (const p of articlePosteriors.values()) mass += p;
  const ids = new Set([...lexical.keys(), ...articlePosteriors.keys()]);
  const w = tuning.classifierShare;
  return [...ids]
    .map((id) => ({
      id,
      score:
        w * ((articlePosteriors.get(id) ?? 0) / (mass || 1)) + (1 - w) * (lexical.get(id) ?? 0),
    }))
    .sort((a, b) => b.score - a.score);
}

function softmax(hits: readonly Hit[], temperature: number): Map<string, number> {
  const out = new Map<string, number>();
  if (hits.length === 0) return out;
  const max = Math.max(...hits.map((h) => h.score));
  let z = 0;
  for (const h of hits) {
    const e = Math.exp((h.score - max) / temperature);
    out.set(h.id, e);
    z += e;
  }
  for (const [id, e] of out) out.set(id, e / z);
  return out;
}
