export { createKnowledgeBase, type KnowledgeBase } from './knowledge-base';
export { KbLoadError } from './errors';
export { defaultKbDir, loadArticles } from './loader';
export { ARTICLE_IDS, INTENTS, type Article } from './schema';
