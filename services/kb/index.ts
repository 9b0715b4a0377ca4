export { createKnowledgeBase, MAX_ARTICLES, type KnowledgeBase } from './knowledge-base';
export { KbLoadError } from './errors';
export { defaultKbDir, loadArticles, type LoadOptions } from './loader';
export {
  ARTICLE_IDS,
  INTENTS,
  type Article,
  type Intent,
  type RankedArticle,
  type Understanding,
} from './schema';
