/**
 * Knowledge base benchmark: `npm run bench -- kb [--rounds=N]`.
 * Accuracy on the labelled eval set, top-1 on the holdout set, and per-question latency.
 */
import { performance } from 'node:perf_hooks';
import { assetPath } from '../services/paths';
import { createKnowledgeBase } from '../services/kb';
import { evaluate, loadQuestions } from '../services/kb/evaluate';

export async function run(args: string[]): Promise<Record<string, number>> {
  const rounds = roundsFrom(args);
  const kb = createKnowledgeBase();
  const evalSet = loadQuestions(assetPath('test', 'kb', 'eval-questions.json'));
  const holdout = loadQuestions(assetPath('test', 'kb', 'holdout-questions.json'));
  const scores = evaluate(evalSet, kb.understand);
  const held = evaluate(holdout, kb.understand);

  const questions = [...evalSet, ...holdout].map((x) => x.q);
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
  const p99 = times[Math.max(0, Math.ceil(times.length * 0.99) - 1)] ?? 0;

  return {
    kb_questions: evalSet.length,
    kb_intent_acc: round(scores.intentAccuracy),
    kb_top1: round(scores.top1),
    kb_top3: round(scores.top3),
    kb_holdout_top1: round(held.top1),
    kb_p99_ms: round(p99),
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
