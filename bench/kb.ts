/**
 * Knowledge base benchmark: `npm run bench -- kb [--rounds=N] [--json]`.
 * Intent, top-1 and top-3 on the eval set and on every holdout, and per-question latency over
 * all of their questions.
 */
import { performance } from 'node:perf_hooks';
import { assetPath } from '../services/paths';
import { createKnowledgeBase } from '../services/kb';
import { evaluate, loadQuestions } from '../services/kb/evaluate';

/** Each labelled set and the prefix of its figures. */
const SETS = [
  ['kb', 'eval-questions.json'],
  ['kb_holdout', 'holdout-questions.json'],
  ['kb_holdout2', 'second-holdout-questions.json'],
  ['kb_holdout3', 'third-holdout-questions.json'],
] as const;

export async function run(args: string[]): Promise<Record<string, number>> {
  const rounds = roundsFrom(args);
  const kb = createKnowledgeBase();
  const figures: Record<string, number> = {};
  const questions: string[] = [];
  for (const [prefix, file] of SETS) {
    const set = loadQuestions(assetPath('test', 'kb', file));
    const scores = evaluate(set, kb.understand);
    figures[`${prefix}_questions`] = set.length;
    figures[`${prefix}_intent`] = round(scores.intentAccuracy);
    figures[`${prefix}_top1`] = round(scores.top1);
    figures[`${prefix}_top3`] = round(scores.top3);
    questions.push(...set.map((x) => x.q));
  }

  for (const q of questions) kb.understand(q);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const start = performance.now();
      kb.understand(q);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  const at = (share: number): number =>
    times[Math.max(0, Math.ceil(times.length * share) - 1)] ?? 0;

  return {
    ...figures,
    kb_p50_ms: round(at(0.5)),
    kb_p99_ms: round(at(0.99)),
    kb_articles: kb.articles.length,
  };
}

function roundsFrom(args: string[]): number {
  const arg = args.find((a) => a.startsWith('--rounds='));
  const n = Number(arg?.slice('--rounds='.length));
  return Number.isInteger(n) && n > 0 ? n : 50;
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
