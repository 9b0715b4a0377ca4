import assert from 'node:assert/strict';
import { createKnowledgeBase, type Article } from '../../services/kb';
import { gradeOf, MAX_GRADE } from '../helpers/readability';

/**
 * The grade of what staff read on the answer card: summary, steps and the IT line (titles are
 * headings, not sentences).
 */
export function articleGrade(article: Article): number {
  return gradeOf([article.summary, ...article.steps, article.contactIT].join(' '));
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
