import fs from 'node:fs';
import { z } from 'zod';
import { ARTICLE_IDS, INTENTS, type Understanding } from './schema';

/** What staff typed, the intent it should get and, for a problem, the article that answers it. */
const labelledQuestionSchema = z
  .strictObject({
    q: z.string(),
    intent: z.enum(INTENTS),
    article: z.enum(ARTICLE_IDS).optional(),
  })
  .refine((x) => (x.intent === 'troubleshoot') === (x.article !== undefined), {
    message: 'troubleshoot questions, and only they, name an article',
  });
export type LabelledQuestion = z.infer<typeof labelledQuestionSchema>;

export function loadQuestions(file: string): LabelledQuestion[] {
  const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  return z.array(labelledQuestionSchema).parse(raw);
}

export interface Scores {
  questions: number;
  /** Share of all questions given the expected intent. */
  intentAccuracy: number;
  /** Among questions that name an article: share with it first, and within the first three. */
  top1: number;
  top3: number;
  misses: Array<{ q: string; expected: string; got: Understanding }>;
}

export function evaluate(
  questions: readonly LabelledQuestion[],
  understand: (text: string) => Understanding,
): Scores {
  let intents = 0;
  let withArticle = 0;
  let top1 = 0;
  let top3 = 0;
  const misses: Scores['misses'] = [];
  for (const item of questions) {
    const got = understand(item.q);
    const intentOk = got.intent === item.intent;
    if (intentOk) intents++;
    let rank = -1;
    if (item.article !== undefined) {
      withArticle++;
      rank = got.articles.findIndex((a) => a.id === item.article);
      if (rank === 0) top1++;
      if (rank >= 0 && rank < 3) top3++;
    }
    if (!intentOk || (item.article !== undefined && rank !== 0)) {
      misses.push({ q: item.q, expected: item.article ?? item.intent, got });
    }
  }
  return {
    questions: questions.length,
    intentAccuracy: ratio(intents, questions.length),
    top1: ratio(top1, withArticle),
    top3: ratio(top3, withArticle),
    misses,
  };
}

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}
