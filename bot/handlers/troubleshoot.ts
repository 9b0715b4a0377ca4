import { z } from 'zod';
import { expandCard, type CardJson } from '../../cards/render';
import { VERBS } from '../../cards/verbs';
import { screenText } from '../../services/guard/guard';
import { ARTICLE_IDS } from '../../services/kb/schema';
import type { Article } from '../../services/kb/schema';
import type { ActionContext, ActionDef } from '../actions';
import { messageCard } from '../replies';

/** The problems people report most, offered as buttons when they ask for help without words. */
const COMMON = ['no-push-notification', 'new-phone', 'codes-not-accepted', 'unexpected-prompt', 'no-signal', 'number-matching'];

const articleId = z.enum(ARTICLE_IDS);
const Trail = z.object({
  tried: z.array(articleId).max(10).default([]),
  /** The person's question, carried by the card; screened again whenever it is used. */
  q: z.string().max(300).default(''),
});
const ArticlePayload = Trail.extend({ id: articleId }).loose();
const Feedback = Trail.extend({ id: articleId, fixed: z.boolean() }).loose();

function safeQuestion(q: string): string {
  return q && screenText(q).verdict === 'ok' ? q : '';
}

/** An article as a card, with up to two other matches and "fixed" / "still stuck". */
export function answerCard(article: Article, others: Array<{ id: string; title: string }>, tried: string[], q: string, notice = ''): CardJson {
  const trail = [...new Set([...tried, article.id])];
  return expandCard('kb-answer', {
    notice,
    id: article.id,
    title: article.title,
    summary: article.summary,
    steps: article.steps.map((s, i) => `${i + 1}. ${s}`),
    contactIT: article.contactIT,
    others: others.filter((o) => !trail.includes(o.id)).slice(0, 2),
    tried: trail,
    q,
  });
}

/** The answer for a question someone typed (already screened): best article plus two more. */
export async function answerQuestion(ctx: ActionContext, question: string): Promise<CardJson> {
  const { kb } = ctx.services;
  const understanding = kb.understand(question);
  const [best, ...rest] = understanding.articles;
  const article = best && kb.get(best.id);
  if (!article) {
    await ctx.services.kbFeedback.unmatched(question);
    return startCard(ctx, "I couldn't find an answer for that. Is it one of these? Or ask IT and they'll help.", [], question, true);
  }
  return answerCard(article, rest, [], question.slice(0, 300));
}

function startCard(ctx: ActionContext, text: string, tried: string[], q: string, offerIt: boolean): CardJson {
  const picks = COMMON.filter((id) => !tried.includes(id)).map((id) => ({ id, title: ctx.services.kb.get(id)?.title ?? id }));
  return expandCard('kb-start', {
    heading: "Let's fix it",
    text,
    picks,
    tried,
    q,
    offerIt,
  });
}

const start: ActionDef = {
  verb: VERBS.troubleshoot,
  schema: z.object({}).loose(),
  run: async (ctx) =>
    startCard(ctx, 'Tell me what is happening in your own words, like "no notification" or "codes say wrong". Or pick one:', [], '', false),
};

const showArticle: ActionDef<typeof ArticlePayload> = {
  verb: VERBS.kbArticle,
  schema: ArticlePayload,
  async run(ctx, data) {
    const article = ctx.services.kb.get(data.id)!;
    const q = safeQuestion(data.q);
    const others = q ? ctx.services.kb.understand(q).articles : article.related.map((id) => ({ id, title: ctx.services.kb.get(id)?.title ?? id }));
    return answerCard(article, others, data.tried, q);
  },
};

const feedback: ActionDef<typeof Feedback> = {
  verb: VERBS.kbFeedback,
  schema: Feedback,
  async run(ctx, data) {
    const { kb, kbFeedback } = ctx.services;
    await kbFeedback.record(data.id, data.fixed);
    if (data.fixed) return messageCard('Glad that worked!', 'If anything else comes up, just tell me what is happening.');
    const q = safeQuestion(data.q);
    const tried: string[] = [...new Set([...data.tried, data.id])];
    const candidates = q ? kb.understand(q).articles.map((a) => a.id) : kb.get(data.id)!.related;
    const next = candidates.find((id) => !tried.includes(id));
    const nextArticle = next ? kb.get(next) : undefined;
    if (nextArticle && tried.length < 3) {
      return answerCard(nextArticle, [], tried, q, "Sorry that didn't help. This might be it:");
    }
    return startCard(ctx, "Sorry, that didn't fix it. IT can take a look: I'll send them your question and what you tried.", tried, q, true);
  },
};

const askIt: ActionDef<typeof Trail> = {
  verb: VERBS.kbAskIt,
  schema: Trail.loose(),
  async run(ctx, data) {
    const q = safeQuestion(data.q);
    const ticket = await ctx.services.requests.open(ctx.caller, 'help', {
      question: q || undefined,
      articlesTried: data.tried,
      source: 'troubleshooting',
    });
    return messageCard(
      `Request ${ticket.id} sent to IT`,
      "IT will contact you. They will never ask for your password or a code in chat, so please don't share one.",
    );
  },
};

export function troubleshootActions(): ActionDef[] {
  return [start, showArticle, feedback, askIt] as ActionDef[];
}
