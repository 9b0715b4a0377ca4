import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { DocumentStore } from '../storage/types';

const FEEDBACK = 'kb-feedback';
const UNMATCHED = 'kb-unmatched';

export interface ArticleFeedback {
  articleId: string;
  fixed: boolean;
  at: string;
}

/**
 * What staff said about answers, and questions with no good match, for admins to review. Only
 * text that passed the code, password and patient-data screen ever reaches here.
 */
export class KbFeedback {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
  ) {}

  async record(articleId: string, fixed: boolean): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.store.put<ArticleFeedback>(FEEDBACK, `${at}|${randomUUID()}`, { articleId, fixed, at }, { index: `${articleId}|${at}` });
  }

  async unmatched(screenedQuestion: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.store.put(UNMATCHED, `${at}|${randomUUID()}`, { question: screenedQuestion.slice(0, 300), at }, { index: at });
  }

  /** Fixed / still-stuck counts per article. */
  async summary(): Promise<Record<string, { fixed: number; stuck: number }>> {
    const out: Record<string, { fixed: number; stuck: number }> = {};
    for (const d of await this.store.query<ArticleFeedback>(FEEDBACK)) {
      const row = (out[d.value.articleId] ??= { fixed: 0, stuck: 0 });
      if (d.value.fixed) row.fixed += 1;
      else row.stuck += 1;
    }
    return out;
  }

  async unmatchedQuestions(): Promise<Array<{ question: string; at: string }>> {
    return (await this.store.query<{ question: string; at: string }>(UNMATCHED)).map((d) => d.value);
  }
}
