import MiniSearch from 'minisearch';

/**
 * Corrects misspelt words against the knowledge base's own vocabulary, using MiniSearch's
 * fuzzy term lookup plus a check for two swapped letters ("lsot" → "lost").
 */
export class Speller {
  private readonly known: ReadonlySet<string>;
  private readonly index: MiniSearch<{ id: number; word: string }>;

  constructor(vocabulary: Iterable<string>) {
    this.known = new Set(vocabulary);
    this.index = new MiniSearch<{ id: number; word: string }>({
      fields: ['word'],
      storeFields: ['word'],
      tokenize: (s) => [s],
      processTerm: (t) => t,
    });
    this.index.addAll([...this.known].map((word, id) => ({ id, word })));
  }

  /** The word itself when known, too short or numeric; otherwise the closest known word. */
  correct(word: string): string {
    if (this.known.has(word) || word.length < 4 || /\d/.test(word)) return word;
    for (let i = 0; i + 1 < word.length; i++) {
      const swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (this.known.has(swapped)) return swapped;
    }
    const distance = word.length >= 9 ? 2 : word.length >= 6 ? 1 : 0;
    if (distance === 0) return word;
    const [best] = this.index.search(word, { fuzzy: distance, prefix: false });
    return typeof best?.word === 'string' ? best.word : word;
  }
}
