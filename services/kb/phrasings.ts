import fs from 'node:fs';
import path from 'node:path';
import { assetPath } from '../paths';
import { KbLoadError } from './errors';
import { ARTICLE_IDS, INTENTS, type Intent } from './schema';

/**
 * What the classifier can answer: an article (the question is a problem that article solves) or
 * one of the intents that are not about a specific problem.
 */
export type Label =
  { kind: 'article'; id: string } | { kind: 'intent'; intent: Exclude<Intent, 'troubleshoot'> };

export interface Phrasing {
  text: string;
  label: Label;
}

/** Fewest phrasings a label needs for the classifier to learn it at all. */
const MIN_PHRASINGS = 10;

const OTHER_INTENTS = INTENTS.filter(
  (i): i is Exclude<Intent, 'troubleshoot'> => i !== 'troubleshoot',
);

/** Where the shipped phrasings live, from sources and from dist/ alike. */
export function defaultPhrasingsDir(): string {
  return assetPath('content', 'phrasings');
}

/**
 * Reads the example phrasings the classifier learns from: `articles/<article-id>.txt` and
 * `intents/<intent>.txt`, one phrasing per line, `#` for comments. Every article and every intent
 * except troubleshooting (which is "any article") needs a file, so a new article cannot ship
 * without the words people use for it.
 */
export function loadPhrasings(
  dir = defaultPhrasingsDir(),
  articleIds: readonly string[] = ARTICLE_IDS,
): Phrasing[] {
  const out: Phrasing[] = [];
  const read = (sub: string, names: readonly string[], label: (name: string) => Label): void => {
    const folder = path.join(dir, sub);
    const files = fs.existsSync(folder)
      ? fs.readdirSync(folder).filter((f) => f.endsWith('.txt'))
      : [];
    const known = new Set(names);
    const extra = files.find((f) => !known.has(path.basename(f, '.txt')));
    if (extra) throw new KbLoadError(path.join(folder, extra), 'file name', 'names no known label');
    for (const name of names) {
      const file = path.join(folder, `${name}.txt`);
      if (!fs.existsSync(file)) throw new KbLoadError(file, 'file', 'phrasings missing');
      const lines = linesOf(fs.readFileSync(file, 'utf8'));
      if (lines.length < MIN_PHRASINGS) {
        throw new KbLoadError(
          file,
          'phrasings',
          `needs at least ${MIN_PHRASINGS}, has ${lines.length}`,
        );
      }
      for (const text of lines) out.push({ text, label: label(name) });
    }
  };
  read('articles', articleIds, (id) => ({ kind: 'article', id }));
  read('intents', OTHER_INTENTS, (name) => ({
    kind: 'intent',
    intent: name as Exclude<Intent, 'troubleshoot'>,
  }));
  return out;
}

function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** A label as one string key: the article id, or `intent:<name>`. */
export function labelKey(label: Label): string {
  return label.kind === 'article' ? label.id : `intent:${label.intent}`;
}
