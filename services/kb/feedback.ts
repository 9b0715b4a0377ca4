import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { ConflictError, type DocumentStore } from '../storage/types';
import { OUT_OF_SCOPE } from './schema';

const FEEDBACK = 'kb-feedback';
const UNMATCHED = 'kb-unmatched';
const EXAMPLES = 'kb-examples';
/** Longest question kept; the bot reads at most a few sentences anyway. */
const MAX_QUESTION = 300;

interface ArticleFeedback {
  articleId: string;
  fixed: boolean;
  at: string;
}

/**
 * Why a question is waiting for review: nothing matched it, the bot could only guess ("did you
 * mean"), or the answer did not help.
 */
export type ReviewKind = 'unanswered' | 'unsure' | 'still-stuck';

/** A question waiting for an admin or IT to map it to an article or mark it out of scope. */
export interface ReviewItem {
  key: string;
  question: string;
  at: string;
  kind: ReviewKind;
  /** For 'still-stuck': the article that did not help. */
  articleId?: string;
}

interface StoredQuestion {
  question: string;
  at: string;
  kind?: ReviewKind;
  articleId?: string;
  reviewed?: { by: string; target: string; at: string };
}

/** A staff question an admin mapped by hand: an article id, or 'out-of-scope'. */
export interface LearnedExample {
  question: string;
  target: string;
  by: string;
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

  /** "Fixed" or "still stuck" for an article; a still-stuck question joins the review queue. */
  async record(articleId: string, fixed: boolean, screenedQuestion = ''): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.store.put<ArticleFeedback>(
      FEEDBACK,
      `${at}|${randomUUID()}`,
      { articleId, fixed, at },
      { index: `${articleId}|${at}` },
    );
    if (!fixed && screenedQuestion.trim())
      await this.queue(screenedQuestion, 'still-stuck', articleId);
  }

  async unmatched(screenedQuestion: string): Promise<void> {
    await this.queue(screenedQuestion, 'unanswered');
  }

  /** A question the bot answered only with "did you mean". */
  async unsure(screenedQuestion: string): Promise<void> {
    await this.queue(screenedQuestion, 'unsure');
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
    return (await this.store.query<StoredQuestion>(UNMATCHED)).map((d) => ({
      question: d.value.question,
      at: d.value.at,
    }));
  }

  /** Questions nobody has reviewed yet, oldest first. */
  async pending(): Promise<ReviewItem[]> {
    const docs = await this.store.query<StoredQuestion>(UNMATCHED);
    return docs
      .filter((d) => !d.value.reviewed)
      .map((d) => ({
        key: d.key,
        question: d.value.question,
        at: d.value.at,
        kind: d.value.kind ?? 'unanswered',
        ...(d.value.articleId ? { articleId: d.value.articleId } : {}),
      }));
  }

  /**
   * Closes a waiting question with the reviewer's decision and keeps it as an example the
   * matcher learns from. Undefined when the question is gone or someone reviewed it first.
   */
  async resolve(key: string, target: string, by: string): Promise<LearnedExample | undefined> {
    const doc = await this.store.get<StoredQuestion>(UNMATCHED, key);
    if (!doc || doc.value.reviewed) return undefined;
    const at = this.clock.now().toISOString();
    const reviewed = { ...doc.value, reviewed: { by, target, at } };
    // The eTag makes two reviewers clicking at once produce one decision, not two.
    try {
      await this.store.put(UNMATCHED, key, reviewed, { etag: doc.etag, index: `done|${at}` });
    } catch (err) {
      if (err instanceof ConflictError) return undefined;
      throw err;
    }
    const example: LearnedExample = { question: doc.value.question, target, by, at };
    await this.store.put(EXAMPLES, `${at}|${randomUUID()}`, example, { index: at });
    return example;
  }

  /** Every example reviewers kept, oldest first, to teach a freshly started matcher. */
  async learned(): Promise<LearnedExample[]> {
    return (await this.store.query<LearnedExample>(EXAMPLES)).map((d) => d.value);
  }

  private async queue(question: string, kind: ReviewKind, articleId?: string): Promise<void> {
    // One item per question: asked again while waiting, or already judged off-topic, adds nothing.
    const group = (k: ReviewKind | undefined) => (k === 'still-stuck' ? k : 'unanswered');
    const same = (q: StoredQuestion) =>
      normalize(q.question) === normalize(question) && group(q.kind) === group(kind);
    const known = (await this.store.query<StoredQuestion>(UNMATCHED))
      .map((d) => d.value)
      .filter(same);
    if (known.some((q) => !q.reviewed || q.reviewed.target === OUT_OF_SCOPE)) return;
    const at = this.clock.now().toISOString();
    const value: StoredQuestion = {
      question: question.slice(0, MAX_QUESTION),
      at,
      kind,
      ...(articleId ? { articleId } : {}),
    };
    await this.store.put(UNMATCHED, `${at}|${randomUUID()}`, value, { index: at });
  }
}

function normalize(question: string): string {
  return question
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
