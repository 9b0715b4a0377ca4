import assert from 'node:assert/strict';
import type { Coverage } from '../../services/campaigns/coverage';
import {
  DEMO_HISTORY_DAYS,
  demoHistory,
  seedDemoHistory,
} from '../../services/dashboard/demo-history';
import { SnapshotStore } from '../../services/dashboard/snapshots';
import { SqliteStore } from '../../services/storage/sqlite';

const row = (name: string, total: number, authenticator: number, other: number) => ({
  name,
  total,
  authenticator,
  other,
  none: total - authenticator - other,
});
const COVERAGE: Coverage = {
  computedAt: '2026-03-02T09:00:00.000Z',
  overall: row('Everyone', 62, 27, 22),
  byRole: [row('Nursing', 19, 8, 7), row('Front Desk', 11, 3, 4)],
  guests: 1,
  excluded: 2,
  notRegistered: [],
};
const TODAY = new Date('2026-03-02T09:00:00.000Z');

describe('the demo practice history', () => {
  it('is the same every time for the same practice and day', () => {
    assert.deepEqual(demoHistory(COVERAGE, TODAY), demoHistory(COVERAGE, TODAY));
  });

  it('covers the weeks before today, climbing to today with the totals unchanged', () => {
    const history = demoHistory(COVERAGE, TODAY);
    assert.equal(history.length, DEMO_HISTORY_DAYS);
    assert.equal(history[history.length - 1]!.date, '2026-03-01');
    assert.equal(history[0]!.date, '2026-01-19');
    for (let i = 1; i < history.length; i += 1) {
      assert.ok(
        history[i]!.overall.authenticator >= history[i - 1]!.overall.authenticator,
        'never falls',
      );
    }
    assert.ok(
      history[0]!.overall.authenticator < COVERAGE.overall.authenticator / 2,
      'a visible climb',
    );
    assert.ok(history[history.length - 1]!.overall.authenticator <= COVERAGE.overall.authenticator);
    for (const s of history) {
      for (const r of [s.overall, ...s.byRole])
        assert.equal(r.authenticator + r.other + r.none, r.total);
      assert.equal(s.source, 'demo-history');
    }
    assert.equal(
      history.filter((s) => s.events?.length).length,
      2,
      'two earlier nudges are marked',
    );
  });

  it('is stored once, on a first start with no snapshots', async () => {
    const store = new SqliteStore(':memory:');
    const snapshots = new SnapshotStore(store);
    assert.equal(await seedDemoHistory(snapshots, async () => COVERAGE, TODAY), DEMO_HISTORY_DAYS);
    assert.equal(await seedDemoHistory(snapshots, async () => COVERAGE, TODAY), 0);
    assert.equal((await snapshots.since('2000-01-01')).length, DEMO_HISTORY_DAYS);
    await store.close();
  });
});
