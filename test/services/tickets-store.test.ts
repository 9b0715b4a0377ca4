import assert from 'node:assert/strict';
import { HOUR, ManualClock } from '../../services/clock';
import { TapLimiter } from '../../services/tickets/tap-limiter';
import { TicketStore } from '../../services/tickets/store';
import { ConflictError } from '../../services/storage/types';
import { BACKENDS, type OpenedStore } from '../helpers/stores';

const requester = {
  id: 'aad-olivia',
  name: 'Olivia Brandt',
  upn: 'olivia.brandt@riverbendfm.example',
};
const priya = { id: 'aad-priya', name: 'Priya Raman' };

/** Tickets and the pass limit with two bot instances over one store: each effect exactly once. */
for (const backend of BACKENDS) {
  describe(`tickets and the pass limit across two instances (${backend.name})`, function () {
    this.timeout(60_000);
    let opened: OpenedStore;
    let clock: ManualClock;

    beforeEach(async () => {
      opened = await backend.open();
      clock = new ManualClock('2026-12-07T14:00:00Z');
    });
    afterEach(async () => {
      await opened.cleanUp();
    });

    const open = (tickets: TicketStore) =>
      tickets.create({ kind: 'lost-device', requester, details: { happened: 'stolen' } as never });

    it('hands out each ticket number once when requests arrive at both instances at once', async () => {
      const instances = [
        new TicketStore(opened.store, clock),
        new TicketStore(opened.another(), clock),
      ];
      const made = await Promise.all(Array.from({ length: 16 }, (_, i) => open(instances[i % 2]!)));
      const ids = made.map((t) => t.id).sort();
      assert.deepEqual(
        ids,
        Array.from({ length: 16 }, (_, i) => `MFA-${String(i + 1).padStart(4, '0')}`),
      );
      assert.equal((await instances[0]!.listOpen()).length, 16);
    });

    it('refuses a change from a stale read, and loses none of the changes made from both instances', async () => {
      const instances = [
        new TicketStore(opened.store, clock),
        new TicketStore(opened.another(), clock),
      ];
      const ticket = await open(instances[0]!);
      const read = (await instances[0]!.get(ticket.id))!;
      await instances[1]!.update(
        { ...read.value, status: 'assigned' },
        read.etag,
        priya,
        'Priya took it',
      );
      await assert.rejects(
        instances[0]!.update({ ...read.value, status: 'resolved' }, read.etag, priya),
        ConflictError,
      );
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          instances[i % 2]!.mutate(ticket.id, priya, (current) => ({
            ticket: current,
            text: `note ${i}`,
          })),
        ),
      );
      const final = (await instances[0]!.get(ticket.id))!.value;
      assert.equal(final.status, 'assigned');
      for (let i = 0; i < 10; i += 1)
        assert.ok(
          final.timeline.some((e) => e.text === `note ${i}`),
          `note ${i}`,
        );
    });

    it('lets eight simultaneous pass reservations by one IT member through only five times, and frees them after an hour', async () => {
      const limiters = [
        new TapLimiter(opened.store, clock, 5),
        new TapLimiter(opened.another(), clock, 5),
      ];
      const slots = await Promise.all(
        Array.from({ length: 8 }, (_, i) => limiters[i % 2]!.reserve(priya.id)),
      );
      const granted = slots.filter((s): s is string => s !== undefined);
      assert.equal(granted.length, 5);
      assert.equal(await limiters[1]!.used(priya.id), 5);
      await limiters[1]!.release(priya.id, granted[0]!);
      assert.ok(await limiters[0]!.reserve(priya.id), 'a slot given back can be used again');
      assert.equal(await limiters[0]!.reserve(priya.id), undefined);
      clock.advance(HOUR + 1);
      assert.ok(await limiters[1]!.reserve(priya.id));
    });
  });
}
