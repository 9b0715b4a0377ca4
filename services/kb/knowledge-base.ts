import { ruleIntent } from './intent';
import type { Question } from './question';
import { acceptQuestion } from './guard';
import * as lexicon from './lexicon';
import { loadArticles, type LoadOptions } from './loader';
import { phraseWords } from './phrases';
import type { Article, RankedArticle, Understanding } from './schema';
import { ArticleIndex, type Hit, type QueryTerm } from './search';
import { Speller } from './speller';
import { synonymVocabulary, synonymsOf } from './synonyms';
import { fold, stem, tokenize, words } from './text';
import { OFF_TOPIC, STOPWORDS } from './word-lists';

export interface KnowledgeBase {
  readonly articles: readonly Article[];
  get(id: string): Article | undefined;
  /** What a staff member's message is about, and the best articles for it. Never throws. */
  understand(text: string): Understanding;
}

/** How many articles `understand` returns at most. */
export const MAX_ARTICLES = 5;
/**
 * A question is understood as a problem when one article matches more than half its telling
 * words, half of them with one in its title or keywords, or two in its title or keywords.
 */
const understood = (h: Hit): boolean =>
  h.coverage > 0.5 || (h.coverage >= 0.5 && h.strong >= 1) || h.strong >= 2;

/** Reading for someone about to set up; suggested as they are, so their score is 0. */
const STARTER_ARTICLES = ['where-to-register', 'qr-code-scan', 'why-mfa'] as const;

const UNKNOWN: Understanding = { intent: 'unknown', articles: [] };

/**
 * Loads and validates the articles (throwing a KbLoadError naming the file and field if any is
 * broken) and builds the matcher.
 */
export function createKnowledgeBase(dir?: string, options?: LoadOptions): KnowledgeBase {
  const articles = loadArticles(dir, options);
  const byId = new Map(articles.map((a) => [a.id, a]));
  const index = new ArticleIndex(articles);
  const speller = new Speller(vocabulary(articles));

  const rank = (hits: readonly Hit[]): RankedArticle[] =>
    hits.map((h) => ({
      id: h.id,
      title: byId.get(h.id)?.title ?? h.id,
      score: Math.round(h.score * 1000) / 1000,
    }));

  const starters: RankedArticle[] = STARTER_ARTICLES.map((id) => ({
    id,
    title: byId.get(id)?.title ?? id,
    score: 0,
  }));

  const understand = (input: string): Understanding => {
    const text = acceptQuestion(input);
    if (text === undefined) return UNKNOWN;
    const tokens = fold(words(text).map((w) => speller.correct(w)));
    const question: Question = { tokens, text: tokens.join(' ') };
    const hits = index.find(queryTerms(tokens), MAX_ARTICLES);
    const intent = ruleIntent(question);
    if (intent === 'onboarding') return { intent, articles: starters };
    if (intent !== undefined) return { intent, articles: [] };
    if (!hits.some(understood)) return UNKNOWN;
    if (tokens.some((t) => OFF_TOPIC.has(t)) && !hits.some((h) => h.coverage > 0.5)) return UNKNOWN;
    return { intent: 'troubleshoot', articles: rank(hits) };
  };

  return {
    articles,
    get: (id) => byId.get(id),
    understand: (input) => {
      try {
        return understand(input);
      } catch {
        return UNKNOWN;
      }
    },
  };
}

function queryTerms(tokens: readonly string[]): QueryTerm[] {
  const terms = new Map<string, QueryTerm>();
  for (const word of tokens) {
    if (STOPWORDS.has(word) || word.length < 2 || /^\d+[a-z]*$/.test(word)) continue;
    const stems = [...new Set([word, ...synonymsOf(word)].map(stem))];
    if (!terms.has(stems[0] ?? word)) terms.set(stems[0] ?? word, { word, stems });
  }
  return [...terms.values()];
}

function vocabulary(articles: readonly Article[]): Set<string> {
  const known = new Set<string>([...STOPWORDS, ...synonymVocabulary(), ...phraseWords()]);
  for (const set of Object.values(lexicon)) for (const w of set) known.add(w);
  for (const a of articles) {
    const text = [a.title, a.summary, a.contactIT, ...a.keywords, ...a.steps].join(' ');
    for (const t of [...words(text), ...tokenize(text)]) known.add(t);
  }
  return known;
}
