import assert from 'node:assert/strict';
import { SenderLease } from '../../services/campaigns/sender-lease';
import { ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/logger';
import { Leases } from '../../services/storage/lease';
import { BACKENDS, type OpenedStore } from '../helpers/stores';

const SECOND = 1000;

for (const backend of BACKENDS) {
  describe(`which instance sends campaign nudges (${backend.name})`, function () {
    this.timeout(60_000);
    let opened: OpenedStore;
    let clock: ManualClock;
    let a: SenderLease;
    let b: SenderLease;

    beforeEach(async () => {
      opened = await backend.open();
      clock = new ManualClock('2026-12-07T14:00:00Z');
      const lease = (store: typeof opened.store, owner: string) =>
        new SenderLease(new Leases(store, clock), owner, clock, silentLogger(), {
          ttlMs: 15 * SECOND,
          renewMs: 5 * SECOND,
          marginMs: 3 * SECOND,
        });
      a = lease(opened.store, 'a');
      b = lease(opened.another(), 'b');
    });
    afterEach(async () => {
      await opened.cleanUp();
    });

    it('lets one instance send while it renews, and another once it stops', async () => {
      assert.equal(await a.refresh(), 'gained');
      assert.equal(await b.refresh(), 'none');
      assert.ok(a.holds() && !b.holds());
      clock.advance(5 * SECOND);
      assert.equal(await a.refresh(), 'kept');
      clock.advance(10 * SECOND);
      assert.equal(await b.refresh(), 'none', 'renewed, so still held');
      // Killed: no renewals. It stops counting itself the sender before the lease runs out.
      clock.advance(3 * SECOND);
      assert.equal(a.holds(), false);
      assert.equal(await b.refresh(), 'none', 'not yet run out');
      clock.advance(2 * SECOND);
      assert.equal(await b.refresh(), 'gained');
      assert.equal(await a.refresh(), 'none', 'the old sender does not take it back');
      assert.ok(b.holds() && !a.holds());
    });

    it('hands over at once on a clean stop', async () => {
      assert.equal(await a.refresh(), 'gained');
      await a.release();
      assert.equal(a.holds(), false);
      assert.equal(await b.refresh(), 'gained');
    });
  });
}
