import assert from 'node:assert/strict';
import { evaluateGuard, misjudged, screenText } from '../../services/guard/guard';
import { loadSet, percent, type SetName } from './sets';

function report(name: SetName): ReturnType<typeof evaluateGuard> {
  const set = loadSet(name);
  const figures = evaluateGuard(set);
  console.log(
    `      ${name} (n=${figures.n}): recall ${percent(figures.recall)}, ` +
      `false positives ${percent(figures.falsePositiveRate)}`,
  );
  for (const m of misjudged(set)) {
    console.log(`        ${m.sensitive ? 'missed' : 'stopped'}: ${JSON.stringify(m.text)}`);
  }
  return figures;
}

describe('guard: disguised secrets', () => {
  const adversarial = loadSet('adversarial');
  const holdout = loadSet('adversarial-holdout');

  it('has as many harmless look-alikes as disguised secrets, none repeated from other sets', () => {
    const sensitive = adversarial.filter((m) => m.sensitive).length;
    assert.ok(adversarial.length >= 60, `${adversarial.length} adversarial messages`);
    assert.ok(sensitive * 2 >= adversarial.length - 2 && sensitive * 2 <= adversarial.length + 2);
    const seen = new Set([...loadSet('labelled'), ...loadSet('holdout')].map((m) => m.text));
    for (const m of [...adversarial, ...holdout]) assert.ok(!seen.has(m.text), m.text);
    const tuned = new Set(adversarial.map((m) => m.text));
    assert.ok(
      holdout.every((m) => !tuned.has(m.text)),
      'holdout repeats an adversarial message',
    );
  });

  it('stops at least 95% of disguised secrets and at most 5% of their look-alikes', () => {
    const figures = report('adversarial');
    assert.ok(figures.recall >= 0.95, `adversarial recall ${figures.recall}`);
    assert.ok(figures.falsePositiveRate <= 0.05, `false positives ${figures.falsePositiveRate}`);
  });

  it('holds up on disguises it was never tuned on (recall ≥ 0.9, false positives ≤ 0.1)', () => {
    const figures = report('adversarial-holdout');
    assert.equal(figures.n, holdout.length);
    assert.ok(figures.recall >= 0.9, `adversarial holdout recall ${figures.recall}`);
    assert.ok(figures.falsePositiveRate <= 0.1, `false positives ${figures.falsePositiveRate}`);
  });

  it('names the expected kinds for every disguised secret it stops', () => {
    for (const m of adversarial.filter((x) => x.sensitive)) {
      const result = screenText(m.text);
      if (result.verdict !== 'sensitive') continue;
      for (const kind of m.kinds ?? []) assert.ok(result.kinds.includes(kind), `${kind} ${m.text}`);
    }
  });
});
