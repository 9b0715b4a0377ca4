import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assetPath } from '../../services/paths';
import {
  ARTICLE_IDS,
  INTENTS,
  KbLoadError,
  createKnowledgeBase,
  defaultKbDir,
  loadArticles,
  type KnowledgeBase,
} from '../../services/kb';
import { evaluate, loadQuestions } from '../../services/kb/evaluate';

const kb: KnowledgeBase = createKnowledgeBase();

describe('knowledge base articles', () => {
  it('loads every required article and nothing else', () => {
    assert.deepEqual(kb.articles.map((a) => a.id).sort(), [...ARTICLE_IDS].sort());
  });

  it('links only to articles that exist', () => {
    for (const a of kb.articles) {
      for (const id of a.related) assert.ok(kb.get(id), `${a.id} relates to missing ${id}`);
    }
  });

  it('gives every article numbered steps short enough to read on a phone', () => {
    for (const a of kb.articles) {
      assert.ok(a.steps.length >= 2, a.id);
      for (const step of a.steps) assert.ok(step.length <= 220, `${a.id}: ${step}`);
    }
  });

  it('points people to the real security info page', () => {
    const text = kb.articles.flatMap((a) => a.steps).join('\n');
    assert.match(text, /https:\/\/aka\.ms\/mysecurityinfo/);
  });
});

describe('loading a broken knowledge base', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-'));
    for (const f of fs.readdirSync(defaultKbDir())) {
      fs.copyFileSync(path.join(defaultKbDir(), f), path.join(dir, f));
    }
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function edit(id: string, change: (text: string) => string): void {
    const file = path.join(dir, `${id}.md`);
    fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
  }

  function loadError(): KbLoadError {
    try {
      loadArticles(dir);
    } catch (err) {
      assert.ok(err instanceof KbLoadError, String(err));
      return err;
    }
    assert.fail('loading should have failed');
  }

  it('loads the copy when nothing is broken', () => {
    assert.equal(loadArticles(dir).length, ARTICLE_IDS.length);
  });

  it('names the file and the missing field', () => {
    edit('smartwatch', (t) => t.replace(/^title: .*\n/m, ''));
    const err = loadError();
    assert.equal(path.basename(err.file), 'smartwatch.md');
    assert.equal(err.field, 'title');
    assert.match(err.message, /smartwatch\.md.*title/);
  });

  it('names the field when a value is invalid', () => {
    edit('vpn-code', (t) => t.replace(/^summary: .*$/m, 'summary: Two sentences here. Not one.'));
    const err = loadError();
    assert.equal(path.basename(err.file), 'vpn-code.md');
    assert.equal(err.field, 'summary');
  });

  it('refuses a related id that does not exist', () => {
    edit('no-signal', (t) => t.replace('  - traveling-abroad\n', '  - traveling-to-mars\n'));
    const err = loadError();
    assert.equal(path.basename(err.file), 'no-signal.md');
    assert.equal(err.field, 'related');
  });

  it('refuses an id that does not match the file name', () => {
    edit('new-phone', (t) => t.replace('id: new-phone', 'id: newer-phone'));
    assert.equal(loadError().field, 'id');
  });

  it('refuses unknown fields and steps that are not numbered', () => {
    edit('why-mfa', (t) => t.replace('title:', 'colour: blue\ntitle:'));
    assert.equal(loadError().field, 'colour');
    edit('why-mfa', (t) => t.replace('colour: blue\n', '').replace('\n2. ', '\n- '));
    assert.equal(loadError().field, 'body');
  });

  it('refuses a missing required article', () => {
    fs.rmSync(path.join(dir, 'account-locked.md'));
    const err = loadError();
    assert.equal(path.basename(err.file), 'account-locked.md');
    assert.equal(err.field, 'id');
  });

  it('refuses to build the knowledge base', () => {
    edit('smartwatch', (t) => t.replace(/^contactIT: .*\n/m, ''));
    assert.throws(() => createKnowledgeBase(dir), /smartwatch\.md.*contactIT/);
  });
});

const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('latin1');

describe('understanding staff questions', () => {
  const cases: Array<[string, string, string?]> = [
    ['lost my phone', 'lost-device'],
    ['phone was stolen', 'lost-device'],
    ["dropped my phone in water and it's dead", 'lost-device'],
    ['got a new phone and old one is gone', 'lost-device'],
    ['new phone, I still have the old one', 'troubleshoot', 'new-phone'],
    ['notif', 'troubleshoot'],
    ['codes wrong', 'troubleshoot', 'codes-not-accepted'],
    ['set up', 'onboarding'],
    ['2fa', 'onboarding'],
    ['am I registered', 'status'],
    ['menu', 'help'],
    ["who isn't registered", 'admin'],
    ['the printer is jammed again', 'unknown'],
  ];
  for (const [question, intent, article] of cases) {
    it(`"${question}" → ${intent}${article ? ` / ${article}` : ''}`, () => {
      const u = kb.understand(question);
      assert.equal(u.intent, intent);
      if (article) assert.equal(u.articles[0]?.id, article);
    });
  }

  it('ranks at most five articles, best first', () => {
    const { articles } = kb.understand('authenticator notification not coming on my phone');
    assert.ok(articles.length > 0 && articles.length <= 5);
    for (let i = 1; i < articles.length; i++) {
      assert.ok((articles[i - 1]?.score ?? 0) >= (articles[i]?.score ?? 0));
    }
  });

  it('offers no articles for a lost phone, which has its own flow', () => {
    assert.deepEqual(kb.understand('someone stole my phone').articles, []);
  });

  const bad: Array<[string, unknown]> = [
    ['empty', ''],
    ['whitespace', '   \n\t '],
    ['5000 characters', 'my code does not work '.repeat(228)],
    ['binary', '\u0000\u0001\u0002PK\u0003\u0004\uFFFD\uFFFD\u0010'],
    ['bytes read as latin1', PNG_HEADER.repeat(4)],
    ['not a string', { text: 'hello' }],
    ['punctuation only', '?!?!...'],
  ];
  for (const [name, input] of bad) {
    it(`answers ${name} input as unknown without throwing`, () => {
      assert.deepEqual(kb.understand(input as string), { intent: 'unknown', articles: [] });
    });
  }
});

describe('quality on labelled questions', () => {
  const evalSet = loadQuestions(assetPath('test', 'kb', 'eval-questions.json'));
  const holdout = loadQuestions(assetPath('test', 'kb', 'holdout-questions.json'));

  it('has an eval set that covers every article three times and every intent', () => {
    assert.ok(evalSet.length >= 150);
    for (const id of ARTICLE_IDS) {
      const n = evalSet.filter((x) => x.article === id).length;
      assert.ok(n >= 3, `${id} has ${n} questions`);
    }
    for (const intent of INTENTS) assert.ok(evalSet.some((x) => x.intent === intent), intent);
    assert.equal(holdout.length, 50);
  });

  it('keeps the holdout set apart from the eval set', () => {
    const seen = new Set(evalSet.map((x) => x.q.toLowerCase()));
    assert.ok(holdout.every((x) => !seen.has(x.q.toLowerCase())));
  });

  it('meets the bar on the eval set', () => {
    const s = evaluate(evalSet, kb.understand);
    const detail = s.misses.map((m) => `${m.q} → ${m.got.intent} ${m.got.articles[0]?.id}`);
    assert.ok(s.intentAccuracy >= 0.95, `intent ${s.intentAccuracy}\n${detail.join('\n')}`);
    assert.ok(s.top1 >= 0.9, `top-1 ${s.top1}\n${detail.join('\n')}`);
    assert.ok(s.top3 >= 0.97, `top-3 ${s.top3}\n${detail.join('\n')}`);
  });

  /**
   * Questions the matcher was never tuned on: the holdout (written with the eval set) and a second
   * set written by someone else after tuning. They must stay above a floor, so a change that
   * only fits the eval set shows up here.
   */
  for (const [name, file] of [
    ['holdout', 'holdout-questions.json'],
    ['second holdout', 'second-holdout-questions.json'],
  ] as const) {
    it(`generalises to the ${name} (intent ≥ 90%, top-1 ≥ 75%, top-3 ≥ 88%)`, () => {
      const set = loadQuestions(assetPath('test', 'kb', file));
      const h = evaluate(set, kb.understand);
      const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
      console.log(`      ${name} (${h.questions}): intent ${pct(h.intentAccuracy)}, top-1 ${pct(h.top1)}, top-3 ${pct(h.top3)}`);
      assert.ok(h.intentAccuracy >= 0.9, `intent ${h.intentAccuracy}`);
      assert.ok(h.top1 >= 0.75, `top-1 ${h.top1}`);
      assert.ok(h.top3 >= 0.88, `top-3 ${h.top3}`);
    });
  }
});
