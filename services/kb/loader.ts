import fs from 'node:fs';
import path from 'node:path';
import { assetPath } from '../paths';
import { KbLoadError } from './errors';
import { parseFrontMatter } from './front-matter';
import { ARTICLE_IDS, frontMatterSchema, type Article } from './schema';
import { parseSteps } from './steps';

export interface LoadOptions {
  /** Ids the folder must hold, no more and no fewer. Defaults to the shipped list. */
  requiredIds?: readonly string[];
}

/** Where the shipped articles live, from sources and from dist/ alike. */
export function defaultKbDir(): string {
  return assetPath('content', 'kb');
}

/** Reads and validates one article file. */
function loadArticle(file: string): Article {
  const text = fs.readFileSync(file, 'utf8');
  const { data, body } = parseFrontMatter(text, file);
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : String(issue?.path[0] ?? '?');
    throw new KbLoadError(file, field, issue?.message ?? 'invalid');
  }
  const id = path.basename(file, '.md');
  if (parsed.data.id !== id) {
    throw new KbLoadError(file, 'id', `"${parsed.data.id}" does not match the file name`);
  }
  return { ...parsed.data, steps: parseSteps(body, file), file };
}

/**
 * Loads every `*.md` article in `dir`. Throws a KbLoadError naming the file and field for the
 * first problem found, so the bot refuses to start with a broken knowledge base.
 */
export function loadArticles(dir = defaultKbDir(), options: LoadOptions = {}): Article[] {
  if (!fs.existsSync(dir)) throw new KbLoadError(dir, 'folder', 'does not exist');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  const articles = files.map((f) => loadArticle(path.join(dir, f)));
  const ids = new Set(articles.map((a) => a.id));

  const required = options.requiredIds ?? ARTICLE_IDS;
  for (const id of required) {
    if (!ids.has(id)) {
      throw new KbLoadError(path.join(dir, `${id}.md`), 'id', 'required article missing');
    }
  }
  const allowed = new Set(required);
  const extra = articles.find((a) => !allowed.has(a.id));
  if (extra) throw new KbLoadError(extra.file, 'id', `"${extra.id}" is not a known article id`);
  for (const a of articles) {
    for (const rel of a.related) {
      if (rel === a.id) throw new KbLoadError(a.file, 'related', 'cannot relate to itself');
      if (!ids.has(rel)) throw new KbLoadError(a.file, 'related', `no article "${rel}"`);
    }
  }
  return articles;
}
