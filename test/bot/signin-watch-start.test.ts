import assert from 'node:assert/strict';
import sinon from 'sinon';
import { registerSignInWatch } from '../../bot/handlers/signins/watch';
import { ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/logger';
import { Scheduler } from '../../services/scheduler';
import { BACKENDS, type OpenedStore } from '../helpers/stores';

/**
 * What the sign-in monitor does with alert actions left claimed when an instance starts: alone
 * on its database, nothing else can be running them; on shared storage, another instance may be.
 */
describe('sign-in monitor at start', () => {
  let opened: OpenedStore;
  beforeEach(async () => {
    opened = await BACKENDS.find((b) => b.name === 'SQLite')!.open();
  });
  afterEach(async () => {
    await opened.cleanUp();
  });

  const start = async (sharedStorage: boolean) => {
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    const releaseInterrupted = sinon.stub().resolves(1);
    const watch = registerSignInWatch({
      monitor: { poll: sinon.stub().rejects(new Error('not polled here')) },
      actions: { releaseInterrupted },
      sharedStorage,
      board: { deliver: sinon.stub().resolves(), followUp: sinon.stub().resolves() },
      channel: { notice: sinon.stub().resolves() },
      scheduler: new Scheduler(opened.store, clock, silentLogger()),
      store: opened.store,
      clock,
      logger: silentLogger(),
      settings: { enabled: true, pollMinutes: 5 },
    });
    await watch.start();
    return releaseInterrupted.callCount;
  };

  it('releases the actions its own restart cut off, alone on its database', async () => {
    assert.equal(await start(false), 1);
  });

  it("leaves another instance's running action alone on shared storage (claims run out instead)", async () => {
    assert.equal(await start(true), 0);
  });
});
