import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
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
import { defaultPhrasingsDir, loadPhrasings } from '../../services/kb/phrasings';

const kb: KnowledgeBase = createKnowledgeBase();

/** The third holdout as first committed; see the test that checks it. */
const THIRD_HOLDOUT_SHA256 = '83237c76e00af22d22156d54d23b011462e889240810342dd120feb489dafaab';

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

  it('is sure of a clear question and says so', () => {
    const u = kb.understand('the code from authenticator is rejected every time');
    assert.equal(u.articles[0]?.id, 'codes-not-accepted');
    assert.equal(u.confident, true);
  });

  it('offers its best guesses, unsure, for a vague question about signing in', () => {
    for (const q of ['authenticator problem', 'sign in trouble']) {
      const u = kb.understand(q);
      assert.equal(u.intent, 'troubleshoot', q);
      assert.equal(u.confident, false, q);
      assert.ok(u.articles.length >= 3, q);
    }
  });

  it('says "unknown" only for questions outside sign-in and Authenticator', () => {
    for (const q of [
      'purple elephants',
      'when is payroll',
      'the fax machine at reception keeps jamming',
    ]) {
      assert.equal(kb.understand(q).intent, 'unknown', q);
    }
  });

  it('learns a phrasing mapped by hand and answers it with that article from then on', () => {
    const fresh = createKnowledgeBase();
    const q = 'the blue shield app is sulking again';
    assert.notEqual(fresh.understand(q).articles[0]?.id, 'android-battery');
    assert.equal(fresh.learn(q, 'android-battery'), true);
    const u = fresh.understand(q);
    assert.deepEqual(
      [u.intent, u.articles[0]?.id, u.confident],
      ['troubleshoot', 'android-battery', true],
    );
  });

  it('learns a question marked as not about sign-in', () => {
    const fresh = createKnowledgeBase();
    const q = 'my authenticator for the alarm code on the back door';
    assert.notEqual(fresh.understand(q).intent, 'unknown');
    assert.equal(fresh.learn(q, 'out-of-scope'), true);
    assert.equal(fresh.understand(q).intent, 'unknown');
  });

  it('refuses to learn an article that does not exist, or text it would not read', () => {
    const fresh = createKnowledgeBase();
    assert.equal(fresh.learn('codes are wrong', 'no-such-article'), false);
    assert.equal(fresh.learn('\u0000\u0001binary', 'codes-not-accepted'), false);
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
      assert.deepEqual(kb.understand(input as string), {
        intent: 'unknown',
        articles: [],
        confident: true,
      });
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
    for (const intent of INTENTS)
      assert.ok(
        evalSet.some((x) => x.intent === intent),
        intent,
      );
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
   * Questions the matcher was never tuned on: the holdout (written with the eval set), a second
   * set written by someone else after tuning, and a third of 180 written in staff's own words
   * before the classifier existed. Each keeps a floor; the first two at least as high as they
   * scored before the classifier, the third at the targets the classifier was built for.
   */
  const FLOORS = [
    ['holdout', 'holdout-questions.json', { intent: 1, top1: 0.82, top3: 0.94 }],
    ['second holdout', 'second-holdout-questions.json', { intent: 0.975, top1: 0.94, top3: 1 }],
    ['third holdout', 'third-holdout-questions.json', { intent: 0.95, top1: 0.9, top3: 0.97 }],
  ] as const;
  for (const [name, file, floor] of FLOORS) {
    const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
    it(`generalises to the ${name} (intent ≥ ${pct(floor.intent)}, top-1 ≥ ${pct(floor.top1)}, top-3 ≥ ${pct(floor.top3)})`, () => {
      const set = loadQuestions(assetPath('test', 'kb', file));
      const h = evaluate(set, kb.understand);
      console.log(
        `      ${name} (${h.questions}): intent ${pct(h.intentAccuracy)}, top-1 ${pct(h.top1)}, top-3 ${pct(h.top3)}`,
      );
      assert.ok(h.intentAccuracy >= floor.intent, `intent ${h.intentAccuracy}`);
      assert.ok(h.top1 >= floor.top1, `top-1 ${h.top1}`);
      assert.ok(h.top3 >= floor.top3, `top-3 ${h.top3}`);
    });
  }

  it('keeps the third holdout exactly as it was committed, covering every article and intent', () => {
    const file = assetPath('test', 'kb', 'third-holdout-questions.json');
    const digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    assert.equal(
      digest,
      THIRD_HOLDOUT_SHA256,
      'the third holdout is never edited; write a new set instead',
    );
    const third = loadQuestions(file);
    assert.ok(third.length >= 150);
    for (const id of ARTICLE_IDS)
      assert.ok(
        third.some((x) => x.article === id),
        id,
      );
    for (const intent of INTENTS)
      assert.ok(
        third.some((x) => x.intent === intent),
        intent,
      );
  });

  it('trains on phrasings that are not copies of any question it is measured on', () => {
    const wordSet = (s: string) =>
      new Set(
        s
          .toLowerCase()
          .replace(/['’]/g, '')
          .match(/[a-z0-9]+/g) ?? [],
      );
    const measured = ['eval-questions.json', ...FLOORS.map((f) => f[1])]
      .flatMap((f) => loadQuestions(assetPath('test', 'kb', f)))
      .map((x) => ({ q: x.q, words: wordSet(x.q) }));
    const copies: string[] = [];
    for (const p of loadPhrasings()) {
      const a = wordSet(p.text);
      for (const m of measured) {
        const shared = [...a].filter((w) => m.words.has(w)).length;
        if (shared / (a.size + m.words.size - shared) >= 0.7) copies.push(`"${p.text}" ~ "${m.q}"`);
      }
    }
    assert.deepEqual(copies, []);
  });
});

describe('loading the phrasings', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phrasings-'));
    fs.cpSync(defaultPhrasingsDir(), dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const failure = (): KbLoadError => {
    try {
      loadPhrasings(dir);
    } catch (err) {
      assert.ok(err instanceof KbLoadError, String(err));
      return err;
    }
    assert.fail('loading should have failed');
  };

  it('needs phrasings for every article and every intent but troubleshooting', () => {
    fs.rmSync(path.join(dir, 'articles', 'smartwatch.txt'));
    assert.equal(path.basename(failure().file), 'smartwatch.txt');
  });

  it('refuses a file for a label that does not exist', () => {
    fs.writeFileSync(path.join(dir, 'intents', 'small-talk.txt'), 'hi\n');
    assert.equal(path.basename(failure().file), 'small-talk.txt');
  });

  it('refuses a label with too few phrasings to learn from', () => {
    fs.writeFileSync(
      path.join(dir, 'articles', 'vpn-code.txt'),
      '# only two\nvpn code\ncitrix code\n',
    );
    assert.equal(failure().field, 'phrasings');
  });
});
