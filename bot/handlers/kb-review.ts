import { z } from 'zod';
import { expandCard, type CardJson } from '../../cards/render';
import { VERBS, type Verb } from '../../cards/verbs';
import { screenText } from '../../services/guard/guard';
import type { ReviewItem } from '../../services/kb/feedback';
import { ARTICLE_IDS, OUT_OF_SCOPE } from '../../services/kb/schema';
import type { ActionContext, ActionDef } from '../actions';
import type { AuditLog } from '../../services/audit/log';
import type { KnowledgeBase } from '../../services/kb';
import type { KbFeedback } from '../../services/kb/feedback';
import { DAY, type Clock } from '../../services/clock';
import type { Logger } from '../../services/logger';
import type { Scheduler } from '../../services/scheduler';
import { auditFor } from '../audit';

export interface KbReviewDeps {
  kb: KnowledgeBase;
  kbFeedback: KbFeedback;
  audit: AuditLog;
  logger: Logger;
}

/**
 * The review queue for practice admins and IT: questions nobody could answer and answers that
 * left someone stuck, one at a time. One click keeps the question as an example of an article
 * (the matcher uses it from then on) or marks it as not about sign-in. Every decision is audited,
 * by item key and article id only, never the question text.
 */

const Key = z.string().min(1).max(100);
const Show = z.object({ after: Key.optional() }).loose();
const MapPayload = z.object({ key: Key, articleId: z.enum(ARTICLE_IDS) }).loose();
const OutOfScope = z.object({ key: Key }).loose();

/** Text still safe to show and to learn from: screened when asked, screened again here. */
const safe = (item: ReviewItem): boolean => screenText(item.question).verdict === 'ok';

async function reviewCard(deps: KbReviewDeps, notice = '', after?: string): Promise<CardJson> {
  const { kb, kbFeedback } = deps;
  const pending = (await kbFeedback.pending()).filter(safe);
  const from = after === undefined ? 0 : pending.findIndex((p) => p.key === after) + 1;
  const item = pending[from] ?? pending[0];
  const waiting =
    pending.length === 0
      ? 'Nothing to review. Questions I could not answer, and answers that did not help, show up here.'
      : `${pending.length} waiting, oldest first.`;
  if (!item) return expandCard('kb-review', { notice, waiting, hasItem: false, key: '' });
  const stuckOn = item.articleId ? kb.get(item.articleId)?.title : undefined;
  const reason = stuckOn
    ? `Still stuck after "${stuckOn}"`
    : item.kind === 'unsure'
      ? 'I was not sure and offered "did you mean"'
      : 'Nobody could answer it';
  const why = `${reason} · ${item.at.slice(0, 10)}`;
  const guess = kb.understand(item.question).articles.find((a) => a.id !== item.articleId)?.id;
  return expandCard('kb-review', {
    notice,
    waiting,
    hasItem: true,
    key: item.key,
    question: item.question,
    why,
    guess: guess ?? kb.articles[0]?.id ?? '',
    articles: kb.articles
      .map((a) => ({ id: a.id, title: a.title }))
      .sort((a, b) => a.title.localeCompare(b.title)),
  });
}

/** Records the decision, teaches the matcher, audits, and shows the next question. */
async function decide(
  deps: KbReviewDeps,
  ctx: ActionContext,
  verb: Verb,
  key: string,
  target: string,
): Promise<CardJson> {
  const { kb, kbFeedback } = deps;
  const item = (await kbFeedback.pending()).find((p) => p.key === key);
  const record = auditFor(deps.audit, ctx.turn, ctx.caller.aadObjectId);
  const audited = (outcome: 'success' | 'refused', reason?: string) =>
    record({
      action: verb,
      target: key.slice(0, 64),
      outcome,
      reason,
      details: { article: target },
    });
  if (!item || !safe(item)) {
    await audited('refused', item ? 'unsafe-text' : 'already-reviewed');
    return reviewCard(deps, 'Someone already reviewed that question.');
  }
  const example = await kbFeedback.resolve(key, target, ctx.caller.aadObjectId);
  if (!example) {
    await audited('refused', 'already-reviewed');
    return reviewCard(deps, 'Someone already reviewed that question.');
  }
  kb.learn(example.question, target);
  await audited('success');
  const title = kb.get(target)?.title;
  return reviewCard(
    deps,
    title ? `Done: I will answer that with "${title}".` : 'Done: marked as not about sign-in.',
  );
}

/** The review queue's verbs, for practice admins and IT (see POLICY). */
export function kbReviewActions(deps: KbReviewDeps): ActionDef[] {
  const show: ActionDef<typeof Show> = {
    verb: VERBS.kbReview,
    schema: Show,
    run: (_ctx, data) => reviewCard(deps, '', data.after),
  };

  const mapToArticle: ActionDef<typeof MapPayload> = {
    verb: VERBS.kbReviewMap,
    schema: MapPayload,
    run: (ctx, data) => decide(deps, ctx, VERBS.kbReviewMap, data.key, data.articleId),
  };

  const outOfScope: ActionDef<typeof OutOfScope> = {
    verb: VERBS.kbReviewOutOfScope,
    schema: OutOfScope,
    run: (ctx, data) => decide(deps, ctx, VERBS.kbReviewOutOfScope, data.key, OUT_OF_SCOPE),
  };

  return [show, mapToArticle, outOfScope] as ActionDef[];
}

/** Teaches a freshly built matcher every example reviewers kept; returns how many it took. */
export async function teachLearnedExamples(
  services: Pick<KbReviewDeps, 'kb' | 'kbFeedback' | 'logger'>,
): Promise<number> {
  let taught = 0;
  for (const e of await services.kbFeedback.learned()) {
    if (screenText(e.question).verdict === 'ok' && services.kb.learn(e.question, e.target))
      taught += 1;
  }
  if (taught) services.logger.info({ taught }, 'knowledge base learned reviewed examples');
  return taught;
}

export const REVIEW_NOTICE_JOB = 'kb.review-notice';

export interface ReviewNoticeDeps {
  kbFeedback: KbFeedback;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  /** Posts a card to the IT channel, where IT and practice admins see it; false if it could not. */
  post(card: CardJson): Promise<boolean>;
}

/**
 * Once a day, the IT channel hears how many questions wait for review (when some do and the
 * number changed), with a button to the queue: nobody has to remember to look.
 */
export function registerReviewNotices(deps: ReviewNoticeDeps): { schedule(): Promise<void> } {
  const { scheduler, clock, kbFeedback, logger } = deps;
  const next = (told: number) =>
    scheduler.schedule(
      REVIEW_NOTICE_JOB,
      new Date(clock.now().getTime() + DAY),
      { told },
      REVIEW_NOTICE_JOB,
    );
  scheduler.register<{ told: number }>(REVIEW_NOTICE_JOB, async ({ told }) => {
    const waiting = (await kbFeedback.pending()).filter(safe).length;
    let now = told;
    if (waiting > 0 && waiting !== told) {
      const posted = await deps.post(reviewNoticeCard(waiting));
      if (posted) now = waiting;
      else
        logger.info({ waiting }, 'questions wait for review, but there is no IT channel to say so');
    }
    await next(waiting === 0 ? 0 : now);
  });
  return {
    async schedule() {
      if (!(await scheduler.get(REVIEW_NOTICE_JOB))) await next(0);
    },
  };
}

export function reviewNoticeCard(waiting: number): CardJson {
  return expandCard('kb-review-notice', {
    title: `${waiting} staff ${waiting === 1 ? 'question is' : 'questions are'} waiting for review`,
    text: 'I could not answer these, or my answer did not help. Pick the right article for each, or mark it as not about sign-in.',
  });
}
