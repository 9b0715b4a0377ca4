import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';

/** Staff read on a phone between patients, many in their second language. */
export const MAX_GRADE = 8;

/**
 * The Flesch-Kincaid US grade of a passage. Links and template values count as one short word;
 * Markdown marks are dropped. A passage is what is read together: a card, an article, an email.
 */
export function gradeOf(text: string): number {
  const plain = text
    .replace(/https?:\/\/\S+|aka\.ms\/\S+/g, 'link')
    .replace(/\$\{[^}]*\}/g, 'it')
    .replace(/[*_`]/g, '');
  // Sentences end at . ! ? or a line end (headings, buttons and list items stand alone).
  const sentences = plain.split(/[.!?]+(?:\s|$)|\n+/).filter((s) => /[A-Za-z]/.test(s)).length;
  const words = plain.match(/[A-Za-z0-9][A-Za-z0-9'’-]*/g) ?? [];
  const syllables = words.reduce((n, w) => n + Math.max(1, syllable(w)), 0);
  if (!words.length || !sentences) return 0;
  return fleschKincaid({ sentence: sentences, word: words.length, syllable: syllables });
}
