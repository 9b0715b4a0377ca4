import { z } from 'zod';
import { expandCard, type CardJson } from '../../cards/render';
import { VERBS } from '../../cards/verbs';
import { screenText } from '../../services/guard/guard';
import { ARTICLE_IDS } from '../../services/kb/schema';
import type { Article } from '../../services/kb/schema';
import type { KnowledgeBase } from '../../services/kb';
import type { KbFeedback } from '../../services/kb/feedback';
import type { ActionContext, ActionDef } from '../actions';
import type { ItRequests } from '../requests';
import { messageCard } from '../replies';

/** The problems people report most, offered as buttons when they ask for help without words. */
const COMMON = [
  'no-push-notification',
  'new-phone',
  'codes-not-accepted',
  'unexpected-prompt',
  'no-signal',
  'number-matching',
];

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
function answerCard(
  article: Article,
  others: Array<{ id: string; title: string }>,
  tried: string[],
  q: string,
  notice = '',
): CardJson {
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

/**
 * The answer for a question someone typed (already screened): the best article plus two more
 * when the bot is sure; "did you mean" with the three best when it is not; and a way to IT when
 * the question is not about signing in at all.
 */
async function answerQuestion(deps: TroubleshootDeps, question: string): Promise<CardJson> {
  const { kb, kbFeedback } = deps;
  const understanding = kb.understand(question);
  const q = question.slice(0, 300);
  const [best, ...rest] = understanding.articles;
  const article = best && kb.get(best.id);
  if (understanding.intent !== 'troubleshoot' || !article) {
    await kbFeedback.unmatched(question);
    return suggestCard(deps, {
      heading: "I'm not sure I understood that",
      text: 'I help with signing in and Microsoft Authenticator. If it is about one of these, pick it:',
      matches: [],
      q,
    });
  }
  if (!understanding.confident) {
    await kbFeedback.unsure(question);
    return suggestCard(deps, {
      heading: 'Did you mean…',
      text: 'I am not sure which of these fits. Pick the closest:',
      matches: understanding.articles.slice(0, 3),
      q,
    });
  }
  return answerCard(article, rest, [], q);
}

/** Best guesses as buttons, a few common topics, and IT: nobody is left at "I don't know". */
function suggestCard(
  deps: TroubleshootDeps,
  view: { heading: string; text: string; matches: Array<{ id: string; title: string }>; q: string },
): CardJson {
  const shown = new Set(view.matches.map((m) => m.id));
  const topics = COMMON.filter((id) => !shown.has(id))
    .slice(0, view.matches.length > 0 ? 4 : COMMON.length)
    .map((id) => ({ id, title: deps.kb.get(id)?.title ?? id }));
  return expandCard('kb-suggest', {
    heading: view.heading,
    text: view.text,
    matches: view.matches.map(({ id, title }) => ({ id, title })),
    topicsHeading:
      view.matches.length > 0 ? 'Or one of these common problems:' : 'Common sign-in problems:',
    topics,
    itLine: `For anything else, call IT on ${deps.itPhone} or send them your question.`,
    askItTitle: view.matches.length > 0 ? 'None of these: ask IT' : 'Ask IT',
    tried: [],
    q: view.q,
  });
}

function startCard(
  deps: TroubleshootDeps,
  text: string,
  tried: string[],
  q: string,
  offerIt: boolean,
): CardJson {
  const picks = COMMON.filter((id) => !tried.includes(id)).map((id) => ({
    id,
    title: deps.kb.get(id)?.title ?? id,
  }));
  return expandCard('kb-start', {
    heading: "Let's fix it",
    text,
    picks,
    tried,
    q,
    offerIt,
  });
}

export interface TroubleshootDeps {
  kb: KnowledgeBase;
  kbFeedback: KbFeedback;
  requests: ItRequests;
  itPhone: string;
}

/** Troubleshooting: the verbs of its cards, and the answer to a question someone typed. */
export function troubleshooting(deps: TroubleshootDeps): {
  actions: ActionDef[];
  answer(ctx: ActionContext, question: string): Promise<CardJson>;
} {
  const start: ActionDef = {
    verb: VERBS.troubleshoot,
    schema: z.object({}).loose(),
    run: async () =>
      startCard(
        deps,
        'Tell me what is happening in your own words, like "no notification" or "codes say wrong". Or pick one:',
        [],
        '',
        false,
      ),
  };

  const showArticle: ActionDef<typeof ArticlePayload> = {
    verb: VERBS.kbArticle,
    schema: ArticlePayload,
    async run(_ctx, data) {
      const article = deps.kb.get(data.id)!;
      const q = safeQuestion(data.q);
      const others = q
        ? deps.kb.understand(q).articles
        : article.related.map((id) => ({ id, title: deps.kb.get(id)?.title ?? id }));
      return answerCard(article, others, data.tried, q);
    },
  };

  const feedback: ActionDef<typeof Feedback> = {
    verb: VERBS.kbFeedback,
    schema: Feedback,
    async run(_ctx, data) {
      const { kb, kbFeedback } = deps;
      await kbFeedback.record(data.id, data.fixed, safeQuestion(data.q));
      if (data.fixed)
        return messageCard(
          'Glad that worked!',
          'If anything else comes up, just tell me what is happening.',
        );
      const q = safeQuestion(data.q);
      const tried: string[] = [...new Set([...data.tried, data.id])];
      const candidates = q ? kb.understand(q).articles.map((a) => a.id) : kb.get(data.id)!.related;
      const next = candidates.find((id) => !tried.includes(id));
      const nextArticle = next ? kb.get(next) : undefined;
      if (nextArticle && tried.length < 3) {
        return answerCard(nextArticle, [], tried, q, "Sorry that didn't help. This might be it:");
      }
      return startCard(
        deps,
        "Sorry, that didn't fix it. IT can take a look: I'll send them your question and what you tried.",
        tried,
        q,
        true,
      );
    },
  };

  const askIt: ActionDef<typeof Trail> = {
    verb: VERBS.kbAskIt,
    schema: Trail.loose(),
    async run(ctx, data) {
      const q = safeQuestion(data.q);
      const ticket = await deps.requests.open(ctx.caller, 'help', {
        question: q || undefined,
        // Titles, as IT reads them on the ticket; the ids mean nothing to a person.
        articlesTried: data.tried.map((id) => deps.kb.get(id)?.title ?? id),
        source: 'troubleshooting',
      });
      return messageCard(
        `Request ${ticket.id} sent to IT`,
        "IT will contact you. They will never ask for your password or a code in chat, so please don't share one.",
      );
    },
  };

  return {
    actions: [start, showArticle, feedback, askIt] as ActionDef[],
    answer: (_ctx: ActionContext, question: string) => answerQuestion(deps, question),
  };
}
