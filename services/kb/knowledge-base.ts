import { NaiveBayes } from './classifier';
import { DEFAULT_FEATURE_WEIGHTS, featuresOf, type FeatureWeights } from './features';
import { DEFAULT_FUSION, fuse, type FusionTuning } from './fusion';
import { ruleIntent } from './intent';
import type { Question } from './question';
import { readTyped } from '../guard/intake';
import * as lexicon from './lexicon';
import { HYPOTHETICAL } from './lexicon';
import { loadArticles, type LoadOptions } from './loader';
import { phraseWords } from './phrases';
import { labelKey, loadPhrasings, type Phrasing } from './phrasings';
import {
  OUT_OF_SCOPE,
  type Article,
  type Intent,
  type RankedArticle,
  type Understanding,
} from './schema';
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
  /**
   * Keeps a real question as an example of an article, or of something the bot does not cover
   * ('out-of-scope'), and uses it from the next question on. False when the target is unknown
   * or the text is not a question the bot would read.
   */
  learn(text: string, target: string): boolean;
}

export interface KnowledgeBaseOptions extends LoadOptions {
  /** Folder of example phrasings; the shipped ones when left out. */
  phrasingsDir?: string;
  fusion?: Partial<FusionTuning>;
  features?: Partial<FeatureWeights>;
  smoothing?: number;
  temperature?: number;
}

/** How many articles `understand` returns at most. */
const MAX_ARTICLES = 5;
/** How many search hits go into the fusion. */
const CANDIDATES = 8;
/**
 * A question is understood as a problem by the search when one article matches more than half
 * its telling words, half of them with one in its title or keywords, or two in its title or
 * keywords.
 */
const understood = (h: Hit): boolean =>
  h.coverage > 0.5 || (h.coverage >= 0.5 && h.strong >= 1) || h.strong >= 2;

/** Reading for someone about to set up; suggested as they are, so their score is 0. */
const STARTER_ARTICLES = ['where-to-register', 'qr-code-scan', 'why-mfa'] as const;
/** Staff who map a question by hand know best: their example counts as this many phrasings. */
const LEARNED_WEIGHT = 3;
const INTENT_PREFIX = 'intent:';

const UNKNOWN: Understanding = { intent: 'unknown', articles: [], confident: true };

/**
 * Loads and validates the articles and their phrasings (throwing a KbLoadError naming the file
 * and field if any is broken) and builds the matcher: a lexical search and a classifier trained
 * on the phrasings, fused.
 */
export function createKnowledgeBase(
  dir?: string,
  options: KnowledgeBaseOptions = {},
): KnowledgeBase {
  const articles = loadArticles(dir, options);
  const byId = new Map(articles.map((a) => [a.id, a]));
  const phrasings = loadPhrasings(
    options.phrasingsDir,
    articles.map((a) => a.id),
  );
  const index = new ArticleIndex(articles);
  const speller = new Speller(vocabulary(articles, phrasings));
  const tuning: FusionTuning = { ...DEFAULT_FUSION, ...options.fusion };
  const weights: FeatureWeights = { ...DEFAULT_FEATURE_WEIGHTS, ...options.features };
  const classifier = new NaiveBayes({
    smoothing: options.smoothing ?? 0.05,
    temperature: options.temperature ?? 3,
  });
  const tokensOf = (text: string): string[] => fold(words(text).map((w) => speller.correct(w)));
  const teach = (text: string, label: string, times = 1): void => {
    const features = featuresOf(tokensOf(text), weights);
    for (let i = 0; i < times; i++) classifier.learn(features, label);
  };
  for (const p of phrasings) teach(p.text, labelKey(p.label));
  // Titles and keywords are phrasings too: the words the article is written around.
  for (const a of articles) for (const k of [a.title, ...a.keywords]) teach(k, a.id);
  const scope = scopeWords(articles, phrasings, tokensOf);
  /** Questions staff mapped by hand, answered the same way when asked again word for word. */
  const remembered = new Map<string, string>();

  const ranked = (id: string, score: number): RankedArticle => ({
    id,
    title: byId.get(id)?.title ?? id,
    score: Math.round(score * 1000) / 1000,
  });
  const starters = STARTER_ARTICLES.map((id) => ranked(id, 0));

  const understand = (input: string): Understanding => {
    const text = typedText(input);
    if (text === undefined) return UNKNOWN;
    const tokens = tokensOf(text);
    const question: Question = { tokens, text: tokens.join(' ') };
    const known = remembered.get(question.text);
    if (known === OUT_OF_SCOPE) return UNKNOWN;
    if (known !== undefined)
      return { intent: 'troubleshoot', articles: [ranked(known, 1)], confident: true };

    const rule = ruleIntent(question);
    if (rule === 'onboarding') return { intent: rule, articles: starters, confident: true };
    if (rule !== undefined) return { intent: rule, articles: [], confident: true };

    // Not one word of sign-in or Authenticator vocabulary: nothing to guess between.
    const inScope = (t: string): boolean => [t, ...synonymsOf(t)].some((w) => scope.has(stem(w)));
    if (!tokens.some((t) => !STOPWORDS.has(t) && inScope(t))) return UNKNOWN;
    const hits = index.find(queryTerms(tokens), CANDIDATES);
    const lexicallyUnderstood = hits.some(understood);
    const posteriors = classifier.posteriors(featuresOf(tokens, weights));
    const [topLabel, topP] = [...posteriors].reduce((a, b) => (b[1] > a[1] ? b : a), ['', -1]);
    if (topLabel.startsWith(INTENT_PREFIX)) {
      const intent = topLabel.slice(INTENT_PREFIX.length) as Intent;
      if (intent === 'unknown' && !lexicallyUnderstood) return UNKNOWN;
      // "What if my phone breaks one day" is planning ahead, whatever the words look like.
      const planning = intent === 'lost-device' && tokens.some((w) => HYPOTHETICAL.has(w));
      const needed = lexicallyUnderstood ? tuning.intentOverMatch : tuning.intentThreshold;
      if (intent !== 'unknown' && topP >= needed && !planning) {
        return intent === 'onboarding'
          ? { intent, articles: starters, confident: false }
          : { intent, articles: [], confident: false };
      }
    }
    const articlePosteriors = new Map([...posteriors].filter(([l]) => byId.has(l)));
    const fused = fuse(hits, articlePosteriors, tuning).slice(0, MAX_ARTICLES);
    const [first, second] = fused;
    if (!first) return UNKNOWN;
    const confident =
      first.score >= tuning.confidentScore &&
      first.score - (second?.score ?? 0) >= tuning.confidentMargin;
    // A word about printers or payroll means it is not about sign-in, unless the sign-in part of
    // the message is clear on its own ("at lunch I got no notification" is still a notification).
    const signInWords = tokens.filter((t) => !STOPWORDS.has(t) && inScope(t)).length;
    const clearOnItsOwn = confident && signInWords >= 3;
    if (
      tokens.some((t) => OFF_TOPIC.has(t)) &&
      !clearOnItsOwn &&
      !hits.some((h) => h.coverage > 0.5)
    )
      return UNKNOWN;
    return {
      intent: 'troubleshoot',
      articles: fused.map((f) => ranked(f.id, f.score)),
      confident,
    };
  };

  const learn = (input: string, target: string): boolean => {
    const text = typedText(input);
    if (text === undefined || (target !== OUT_OF_SCOPE && !byId.has(target))) return false;
    const label = target === OUT_OF_SCOPE ? `${INTENT_PREFIX}unknown` : target;
    teach(text, label, LEARNED_WEIGHT);
    remembered.set(tokensOf(text).join(' '), target);
    return true;
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
    learn,
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

/**
 * Word stems that belong to signing in and Authenticator: the articles' own words and the
 * phrasings of every label except "not about sign-in".
 */
function scopeWords(
  articles: readonly Article[],
  phrasings: readonly Phrasing[],
  tokensOf: (text: string) => string[],
): Set<string> {
  const texts = [
    ...articles.flatMap((a) => [a.title, a.summary, ...a.keywords, ...a.steps]),
    ...phrasings
      .filter((p) => !(p.label.kind === 'intent' && p.label.intent === 'unknown'))
      .map((p) => p.text),
  ];
  const out = new Set<string>();
  for (const text of texts) for (const t of tokensOf(text)) if (!STOPWORDS.has(t)) out.add(stem(t));
  return out;
}

function vocabulary(articles: readonly Article[], phrasings: readonly Phrasing[]): Set<string> {
  const known = new Set<string>([...STOPWORDS, ...synonymVocabulary(), ...phraseWords()]);
  for (const set of Object.values(lexicon)) for (const w of set) known.add(w);
  for (const a of articles) {
    const text = [a.title, a.summary, a.contactIT, ...a.keywords, ...a.steps].join(' ');
    for (const t of [...words(text), ...tokenize(text)]) known.add(t);
  }
  for (const p of phrasings) for (const t of words(p.text)) known.add(t);
  return known;
}

function typedText(input: unknown): string | undefined {
  const intake = readTyped(input);
  return intake.ok ? intake.text : undefined;
}
