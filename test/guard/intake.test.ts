import assert from 'node:assert/strict';
import { createKnowledgeBase } from '../../services/kb';
import { MAX_TEXT_LENGTH, readTyped } from '../../services/guard/intake';

describe('the one text gate', () => {
  it('reads what people type, emoji and other scripts included', () => {
    for (const text of ['no notification 😩😩😩', '通知が来ません', '  my codes are rejected  ']) {
      const intake = readTyped(text);
      assert.ok(intake.ok, text);
    }
    assert.deepEqual(readTyped('  hi  '), { ok: true, text: 'hi' });
  });

  it('counts length as people do, and refuses what is not typed text', () => {
    assert.ok(
      readTyped(`ok ${'😀'.repeat(MAX_TEXT_LENGTH - 3)}`).ok,
      'emoji count once each, not as two UTF-16 units',
    );
    assert.deepEqual(readTyped('a'.repeat(MAX_TEXT_LENGTH + 1)), {
      ok: false,
      problem: 'too-long',
    });
    assert.deepEqual(readTyped(''), { ok: false, problem: 'empty' });
    assert.deepEqual(readTyped(42), { ok: false, problem: 'not-text' });
    assert.deepEqual(
      readTyped('hi\u0085there'),
      { ok: false, problem: 'not-text' },
      'a C1 control',
    );
    assert.deepEqual(
      readTyped(`a${'\u200b'.repeat(20)}`),
      { ok: false, problem: 'not-text' },
      'mostly invisible',
    );
    assert.deepEqual(
      readTyped('!!! ???'),
      { ok: false, problem: 'not-text' },
      'no letter or digit',
    );
  });

  it('lets the knowledge base read every message the chat accepts', () => {
    const story = `${'I was at the clinic all morning and then at lunch I tried to sign in again. '.repeat(18)}I get no notification on my phone.`;
    assert.ok(story.length > 1000 && story.length < MAX_TEXT_LENGTH);
    const kb = createKnowledgeBase();
    assert.notEqual(kb.understand(story).intent, 'unknown');
  });
});
