import MiniSearch from 'minisearch';
import type { Article } from './schema';
import { stem, tokenize } from './text';
import { GENERIC_WORDS, STOPWORDS, WEAK_WORDS } from './word-lists';

interface IndexedArticle {
  id: string;
  title: string;
  keywords: string;
  summary: string;
  body: string;
  pairs: string;
}

/** One search word and the stems it may match as (itself and its synonyms). */
export interface QueryTerm {
  word: string;
  stems: readonly string[];
}

export interface Hit {
  id: string;
  score: number;
  /** Share of the question's telling words that this article matched, 0 to 1. */
  coverage: number;
  /** How many of the question's telling words matched the article's title or keywords. */
  strong: number;
}

const WORD_FIELDS = ['title', 'keywords', 'summary', 'body'];
const STRONG_FIELDS = ['title', 'keywords'];
const BOOST = { keywords: 3, title: 2, summary: 1.5, body: 1 };
const SYNONYM_WEIGHT = 0.6;
const GENERIC_WEIGHT = 0.3;
/** Weight of two words matched side by side ("device registration") on top of each word. */
const PAIR_WEIGHT = 2.5;

/** Turns text into index terms: the same tokens and stems questions get. */
function indexTerms(text: string): string[] {
  return tokenize(text)
    .filter((t) => !STOPWORDS.has(t))
    .map(stem);
}

/** Adjacent stems joined by '_', ignoring stop words in between. */
function pairsOf(stems: readonly string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < stems.length; i++) pairs.push(`${stems[i]}_${stems[i + 1]}`);
  return pairs;
}

/** A MiniSearch index over the articles, searched with fuzzy and prefix matching. */
export class ArticleIndex {
  private readonly index: MiniSearch<IndexedArticle>;

  constructor(articles: readonly Article[]) {
    this.index = new MiniSearch<IndexedArticle>({
      fields: [...WORD_FIELDS, 'pairs'],
      tokenize: (text, field) => (field === 'pairs' ? text.split(' ') : indexTerms(text)),
      processTerm: (t) => t,
    });
    this.index.addAll(
      articles.map((a) => ({
        id: a.id,
        title: a.title,
        keywords: a.keywords.join(' | '),
        summary: a.summary,
        body: a.steps.join('\n'),
        pairs: [a.title, ...a.keywords].flatMap((p) => pairsOf(indexTerms(p))).join(' '),
      })),
    );
  }

  /** Articles matching the terms, best first. */
  find(terms: readonly QueryTerm[], limit: number): Hit[] {
    if (terms.length === 0) return [];
    const weights = new Map<string, number>();
    for (const t of terms) {
      const own = GENERIC_WORDS.has(t.word) ? GENERIC_WEIGHT : 1;
      t.stems.forEach((s, i) => {
        const w = i === 0 ? own : Math.min(own, SYNONYM_WEIGHT);
        weights.set(s, Math.max(weights.get(s) ?? 0, w));
      });
    }
    const query = [...weights.keys()].join(' ');
    const options = {
      tokenize: (s: string) => s.split(' '),
      processTerm: (t: string) => t,
      boost: BOOST,
      fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
      prefix: (term: string) => term.length >= 5,
      boostTerm: (term: string) => weights.get(term) ?? 1,
    };
    const byWord = this.index.search(query, { ...options, fields: WORD_FIELDS });
    const inTitles = new Map(
      this.index
        .search(query, { ...options, fields: STRONG_FIELDS })
        .map((r) => [String(r.id), r.queryTerms]),
    );
    const byPair = this.pairScores(terms);
    const telling = tellingTerms(terms);
    const share = (n: number): number => (telling.length === 0 ? 0 : n / telling.length);
    return byWord
      .map((r) => ({
        id: String(r.id),
        score: r.score + PAIR_WEIGHT * (byPair.get(String(r.id)) ?? 0),
        coverage: share(countMatched(telling, r.queryTerms)),
        strong: countMatched(telling, inTitles.get(String(r.id)) ?? []),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  private pairScores(terms: readonly QueryTerm[]): Map<string, number> {
    const scores = new Map<string, number>();
    const pairs = pairsOf(terms.map((t) => t.stems[0] ?? t.word));
    if (pairs.length === 0) return scores;
    const found = this.index.search(pairs.join(' '), {
      fields: ['pairs'],
      tokenize: (s) => s.split(' '),
      processTerm: (t) => t,
    });
    for (const r of found) scores.set(String(r.id), r.score);
    return scores;
  }
}

/** The words that say what the problem is; generic words only when there is nothing else. */
function tellingTerms(terms: readonly QueryTerm[]): QueryTerm[] {
  const content = terms.filter((t) => !WEAK_WORDS.has(t.word));
  const specific = content.filter((t) => !GENERIC_WORDS.has(t.word));
  return specific.length > 0 ? specific : content;
}

function countMatched(telling: readonly QueryTerm[], queryTerms: readonly string[]): number {
  const matched = new Set(queryTerms);
  return telling.filter((t) => t.stems.some((s) => matched.has(s))).length;
}
