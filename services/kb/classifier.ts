/** Features of one text: feature name → weight. */
export type Features = ReadonlyMap<string, number>;

export interface ClassifierOptions {
  /** Additive smoothing; larger trusts rare features less. */
  smoothing: number;
  /** Divides the log-likelihoods before the softmax, so posteriors are not all 0 or 1. */
  temperature: number;
}

/**
 * A multinomial naive Bayes classifier over weighted features, with uniform priors (a label with
 * more phrasings is not more likely to be asked). It learns one example at a time, so a phrasing
 * an admin maps to an article is used from the next question on.
 */
export class NaiveBayes {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly vocabulary = new Set<string>();

  constructor(private readonly options: ClassifierOptions) {}

  learn(features: Features, label: string): void {
    let row = this.counts.get(label);
    if (!row) {
      row = new Map();
      this.counts.set(label, row);
    }
    let added = 0;
    for (const [f, w] of features) {
      row.set(f, (row.get(f) ?? 0) + w);
      this.vocabulary.add(f);
      added += w;
    }
    this.totals.set(label, (this.totals.get(label) ?? 0) + added);
  }

  labels(): string[] {
    return [...this.counts.keys()];
  }

  /** Every label's posterior probability for these features, summing to 1. */
  posteriors(features: Features): Map<string, number> {
    const { smoothing, temperature } = this.options;
    const v = this.vocabulary.size;
    // Features no label has seen say nothing about any label: leave them out.
    const seen = [...features].filter(([f]) => this.vocabulary.has(f));
    const logs = new Map<string, number>();
    for (const [label, row] of this.counts) {
      const denominator = Math.log((this.totals.get(label) ?? 0) + smoothing * v);
      let sum = 0;
      for (const [f, w] of seen) sum += w * (Math.log((row.get(f) ?? 0) + smoothing) - denominator);
      logs.set(label, sum / temperature);
    }
    const max = Math.max(...logs.values());
    let z = 0;
    for (const [label, l] of logs) {
      const e = Math.exp(l - max);
      logs.set(label, e);
      z += e;
    }
    for (const [label, e] of logs) logs.set(label, e / z);
    return logs;
  }
}
