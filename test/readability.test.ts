import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createKnowledgeBase } from '../services/kb';
import { loadOnboardingContent } from '../services/onboarding/content';
import { assetPath } from '../services/paths';
import { gradeOf, MAX_GRADE } from './helpers/readability';

/** Cards staff (not only IT or admins) see. */
const STAFF_TEMPLATES = [
  'help',
  'message',
  'onboarding-step',
  'onboarding-done',
  'onboarding-stuck',
  'onboarding-alternatives',
  'kb-answer',
  'kb-start',
  'kb-suggest',
  'lost-intake',
  'lost-status',
  'nudge',
  'status',
  'signin-check',
];

/** Source files whose sentences reach staff in chat, on a card or by email. */
const STAFF_SOURCES = [
  'bot/bot.ts',
  'bot/replies.ts',
  'bot/text-routing.ts',
  'bot/handlers/help.ts',
  'bot/handlers/my-status.ts',
  'bot/handlers/troubleshoot.ts',
  'bot/handlers/onboarding/actions.ts',
  'bot/handlers/onboarding/view.ts',
  'bot/handlers/onboarding/reminders.ts',
  'bot/handlers/lost-device/actions.ts',
  'bot/handlers/lost-device/view.ts',
  'cards/campaigns.ts',
];

const ROOT = path.resolve(__dirname, '..', '..');

/** The words a template shows whatever the data: texts, titles, labels, placeholders, errors. */
function templateText(name: string): string {
  const card = JSON.parse(
    fs.readFileSync(assetPath('cards', 'templates', `${name}.json`), 'utf8'),
  ) as unknown;
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (
        typeof value === 'string' &&
        ['text', 'title', 'label', 'placeholder', 'errorMessage'].includes(key) &&
        /[A-Za-z]{2}/.test(value.replace(/\$\{[^}]*\}/g, ''))
      )
        out.push(value);
      else walk(value);
    }
  };
  walk(card);
  return out.join('\n');
}

/** Sentences written in a source file: string literals of four words or more. */
function sourceSentences(file: string): string {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const literals = [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`]*)`/g)]
    .map((m) => (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\'/g, "'"))
    .filter((s) => s.trim().split(/\s+/).length >= 4 && /^[^a-z]/.test(s.trim()));
  return literals.join('\n');
}

/**
 * What an email to a requester says: the wrapper around each notice, and every notice IT's
 * actions send them (the same words go to their chat).
 */
function requesterEmail(): string {
  const notices = ['bot/handlers/tickets/actions.ts', 'bot/handlers/tickets/effects.ts'].flatMap(
    (file) =>
      [
        ...fs
          .readFileSync(path.join(ROOT, file), 'utf8')
          .matchAll(/requester:\s*\{\s*text:\s*(['"`])([\s\S]*?)\1/g),
      ].map((m) => m[2]!),
  );
  assert.ok(notices.length >= 3, 'found the notices IT actions send');
  return [sourceSentences('bot/handlers/tickets/notify.ts'), ...notices].join('\n');
}

/** Every passage staff read, by where it comes from. */
function passages(): Array<{ where: string; text: string }> {
  const kb = createKnowledgeBase();
  const onboarding = loadOnboardingContent();
  return [
    ...kb.articles.map((a) => ({
      where: `article ${a.id}`,
      text: [a.title, a.summary, ...a.steps, a.contactIT].join('\n'),
    })),
    ...onboarding.steps.map((s) => ({
      where: `setup step ${s.id}`,
      text: [s.title, ...s.paragraphs, s.next].join('\n'),
    })),
    { where: 'setup notes', text: onboarding.notes.map((n) => n.text).join('\n') },
    { where: 'setup fixes', text: onboarding.notYetFixes.join('\n') },
    ...STAFF_TEMPLATES.map((name) => ({ where: `card ${name}`, text: templateText(name) })),
    ...STAFF_SOURCES.map((file) => ({ where: file, text: sourceSentences(file) })),
    { where: 'email to a requester', text: requesterEmail() },
  ];
}

describe('staff-facing text readability', () => {
  it(`keeps every card, reply, article and email staff read at or below US grade ${MAX_GRADE}`, () => {
    const all = passages();
    const tooHard = all
      .map((p) => ({ ...p, grade: gradeOf(p.text) }))
      .filter((p) => p.grade > MAX_GRADE)
      .map((p) => `${p.where} (grade ${p.grade.toFixed(1)})`);
    assert.deepEqual(tooHard, []);
  });

  it('scores long, many-syllable sentences above the limit', () => {
    assert.ok(
      gradeOf(
        'Administratively configured conditional access policies systematically evaluate authentication contexts.',
      ) > MAX_GRADE,
    );
    assert.ok(gradeOf('Open the app. Tap the plus sign. Scan the code.') <= MAX_GRADE);
  });
});
