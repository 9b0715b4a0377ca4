import assert from 'node:assert/strict';
import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import { createKnowledgeBase, type Article } from '../../services/kb';

/** Staff read these on a phone between patients, many in their second language. */
const MAX_GRADE = 8;

/**
 * The Flesch-Kincaid US grade of what staff read on the answer card: summary, steps and the IT
 * line (titles are headings, not sentences). Links count as one short word.
 */
export function articleGrade(article: Article): number {
  const text = [article.summary, ...article.steps, article.contactIT]
    .join(' ')
    .replace(/https?:\/\/\S+/g, 'link');
  const sentences = text.split(/[.!?]+(?:\s|$)/).filter((s) => /[A-Za-z]/.test(s)).length;
  const words = text.match(/[A-Za-z0-9][A-Za-z0-9'’-]*/g) ?? [];
  const syllables = words.reduce((n, w) => n + Math.max(1, syllable(w)), 0);
  return fleschKincaid({ sentence: sentences, word: words.length, syllable: syllables });
}

describe('article readability', () => {
  const kb = createKnowledgeBase();

  it(`keeps every article at or below US grade ${MAX_GRADE}`, () => {
    const tooHard = kb.articles
      .map((a) => ({ id: a.id, grade: articleGrade(a) }))
      .filter((a) => a.grade > MAX_GRADE)
      .map((a) => `${a.id} (grade ${a.grade.toFixed(1)})`);
    assert.deepEqual(tooHard, []);
  });

  it('scores long, many-syllable sentences above the limit', () => {
    const dense: Article = {
      ...kb.articles[0]!,
      summary: 'Organisational authentication requirements necessitate comprehensive verification.',
      steps: [
        'Administratively configured conditional access policies systematically evaluate authentication contexts.',
        'Consequently, intermittent reauthentication notifications are unavoidable characteristics.',
      ],
      contactIT: 'Communicate unresolved authentication irregularities immediately.',
    };
    assert.ok(articleGrade(dense) > MAX_GRADE);
  });
});
