/** A question after tokenising and spelling correction. */
export interface Question {
  tokens: readonly string[];
  /** The tokens joined by single spaces, for phrase patterns. */
  text: string;
}

/** Builds a pattern from pieces, so long alternations stay readable. */
export function pattern(...parts: string[]): RegExp {
  return new RegExp(parts.join(''));
}
