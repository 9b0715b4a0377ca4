import assert from 'node:assert/strict';
import sinon from 'sinon';
import {
  evaluateGuard,
  findSensitiveSpans,
  limits,
  misjudged,
  REASONS,
  screenText,
  SENSITIVE_KINDS,
  type ScreenResult,
} from '../../services/guard/guard';
import { loadSet, percent } from './sets';

describe('guard: labelled messages', () => {
  const labelled = loadSet('labelled');
  const holdout = loadSet('holdout');

  it('has enough varied messages to mean something', () => {
    const sensitive = labelled.filter((m) => m.sensitive);
    assert.ok(labelled.length >= 120, `${labelled.length} labelled messages`);
    assert.ok(sensitive.length >= 50, `${sensitive.length} sensitive`);
    assert.ok(labelled.length - sensitive.length >= 60, 'benign messages');
    assert.equal(holdout.length, 40);
    const kinds = new Set(sensitive.flatMap((m) => m.kinds ?? []));
    assert.deepEqual(
      [...SENSITIVE_KINDS].filter((k) => !kinds.has(k)),
      [],
    );
    const texts = new Set(labelled.map((m) => m.text));
    assert.ok(
      holdout.every((m) => !texts.has(m.text)),
      'holdout repeats a labelled message',
    );
  });

  it('stops at least 95% of sensitive and at most 5% of benign labelled messages', () => {
    const figures = evaluateGuard(labelled);
    console.log(
      `      labelled (n=${figures.n}): recall ${percent(figures.recall)}, ` +
        `false positives ${percent(figures.falsePositiveRate)}`,
    );
    for (const m of misjudged(labelled)) {
      console.log(`        ${m.sensitive ? 'missed' : 'stopped'}: ${m.text}`);
    }
    assert.ok(figures.recall >= 0.95);
    assert.ok(figures.falsePositiveRate <= 0.05);
  });

  it('holds up on the holdout it was never tuned on (recall ≥ 0.9, false positives ≤ 0.1)', () => {
    const figures = evaluateGuard(holdout);
    console.log(
      `      holdout (n=${figures.n}): recall ${percent(figures.recall)}, ` +
        `false positives ${percent(figures.falsePositiveRate)}`,
    );
    for (const m of misjudged(holdout)) {
      console.log(`        ${m.sensitive ? 'missed' : 'stopped'}: ${m.text}`);
    }
    assert.equal(figures.n, holdout.length);
    assert.ok(figures.recall >= 0.9, `holdout recall ${figures.recall}`);
    assert.ok(
      figures.falsePositiveRate <= 0.1,
      `holdout false positives ${figures.falsePositiveRate}`,
    );
  });

  it('names the expected kinds for every sensitive labelled message', () => {
    for (const m of labelled.filter((x) => x.sensitive)) {
      const result = screenText(m.text);
      assert.equal(result.verdict, 'sensitive', m.text);
      if (result.verdict !== 'sensitive') continue;
      for (const kind of m.kinds ?? []) assert.ok(result.kinds.includes(kind), `${kind} ${m.text}`);
    }
  });

  it('never echoes what it found in the reason', () => {
    for (const m of labelled.filter((x) => x.sensitive)) {
      const result = screenText(m.text);
      assert.equal(result.verdict, 'sensitive');
      if (result.verdict !== 'sensitive') continue;
      const [first] = result.kinds;
      assert.ok(first);
      assert.equal(result.reason, REASONS[first]);
      for (const span of findSensitiveSpans(m.text)) {
        assert.ok(!result.reason.includes(m.text.slice(span.start, span.end)), m.text);
      }
    }
  });
});

describe('guard: API', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('answers ok without kinds or reason for benign text', () => {
    assert.deepEqual(screenText('it shows 42'), { verdict: 'ok' });
  });

  it('lists kinds in a fixed order and explains the first one', () => {
    const result = screenText('my password is Summer2024! and the code is 123 456');
    assert.deepEqual(result, {
      verdict: 'sensitive',
      kinds: ['one-time-code', 'password'],
      reason: 'That looks like a sign-in code. Never share codes, not even with IT or with me.',
    });
  });

  it('gives every kind a short plain sentence', () => {
    for (const kind of SENSITIVE_KINDS) {
      assert.ok(REASONS[kind].length <= 120, kind);
      assert.match(REASONS[kind], /^That looks like .+\.$/);
    }
  });

  it('exposes its limits', () => {
    assert.deepEqual(limits.oneTimeCodeDigits, { min: 6, max: 8 });
    assert.deepEqual(limits.paymentCardDigits, { min: 13, max: 19 });
    assert.equal(limits.placeholder, '[removed]');
    assert.equal(limits.maxTextLength, 5000);
  });

  it('evaluates any screen function once per message', () => {
    const screen = sandbox.fake.returns({ verdict: 'ok' } satisfies ScreenResult);
    const set = [
      { text: 'a', sensitive: true },
      { text: 'b', sensitive: false },
      { text: 'c', sensitive: true },
    ];
    assert.deepEqual(evaluateGuard(set, screen), { recall: 0, falsePositiveRate: 0, n: 3 });
    assert.equal(screen.callCount, 3);
  });

  it('counts stopped benign messages as false positives', () => {
    const stopAll = (): ScreenResult => ({ verdict: 'sensitive', kinds: ['ssn'], reason: 'x' });
    const set = [
      { text: 'a', sensitive: false },
      { text: 'b', sensitive: true },
    ];
    assert.deepEqual(evaluateGuard(set, stopAll), { recall: 1, falsePositiveRate: 1, n: 2 });
    assert.deepEqual(evaluateGuard([]), { recall: 1, falsePositiveRate: 0, n: 0 });
  });
});
